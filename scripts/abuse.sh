#!/usr/bin/env bash
# Replays known attacks on HRX against a real `hrx serve` on loopback and
# measures each one's cost to the server (memory, temporary files, database
# growth, /healthz latency). Exit status 1 when any attack fails.
#
# Usage: scripts/abuse.sh [-only NAME[,NAME]] [-figures N] [-database postgres://…] [-keep] [-list]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
go run ./scripts/abuse "$@"
