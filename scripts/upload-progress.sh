#!/usr/bin/env bash
# Measure the upload page's progress on a large file: the plain page, the
# progress events (how often, how long), and a cancelled upload (nothing left
# behind, the slot given back).
#
# Usage: scripts/upload-progress.sh [ROWS]     (default 100000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
go run ./scripts/uploadprogress -rows "${1:-100000}"
