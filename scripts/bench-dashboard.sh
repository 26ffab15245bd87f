#!/usr/bin/env bash
# Benchmark the dashboard (/) and the public API (/api/v1/targets) over many figures.
#
# Usage: scripts/bench-dashboard.sh [flags]
#
#   -rows N          figure rows to generate (default 1000000)
#   -n K             timed requests per measurement (default 50)
#   -database DSN    SQLite file or postgres:// URL; default a new SQLite file in a temp dir
#   -reuse           with -database: measure over the figures already there
#   -insert store|raw  figures.Store.Insert (default, GORM CreateInBatches) or raw multi-row INSERTs in one transaction
#   -cpuprofile F    write a CPU profile per measurement to F.page-changed, F.api-changed,
#                    F.page-unchanged, F.api-unchanged, F.static (go tool pprof F.page-unchanged)
#   -breakdown=false skip the timings without HTTP (data version query, report build)
#
# It prints the insert time, a table of median / p90 / max per request with the
# ratio to serving the static CSS from the same process, and PASS/FAIL against
# the goal: median under 50 ms when the data changed just before the request,
# under 5 ms when it did not. Example:
#
#   scripts/bench-dashboard.sh -rows 1000000 -n 50
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec go run ./scripts/benchdash "$@"
