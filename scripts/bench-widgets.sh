#!/usr/bin/env bash
# Load-test the widget path: /embed/{slug}, /embed/{slug}.svg and /api/v1/targets/{slug}
# against a static asset of similar size, side by side in one run, with wrk (-t2 -c64,
# loopback), over a database of ROWS figures. Goal: each ≥ 70 % of the static asset's
# requests per second, p99 under 20 ms.
#
# Usage: scripts/bench-widgets.sh [ROWS] [SECONDS]     (defaults 1000000 and 10)
# Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-1000000}"
secs="${2:-10}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
work=$(mktemp -d)
port=18931
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/hrx" ./cmd/hrx
go build -o "$work/benchimport" ./scripts/benchimport
"$work/benchimport" -gen "$work/figures.csv" -rows "$rows" >/dev/null
HRX_DATABASE_URL="$work/hrx.db" "$work/hrx" import "$work/figures.csv" >/dev/null
HRX_DATABASE_URL="$work/hrx.db" HRX_ADDR="127.0.0.1:$port" "$work/hrx" serve >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"
css=$(curl -fs "$base/" | grep -o '/static/app\.[0-9a-f]*\.css' | head -n1)
printf '%-45s %8s %10s %9s %9s %8s\n' "path" "bytes" "req/s" "p50 ms" "p99 ms" "× static"
static_rps=""
for path in "$css" "/embed/skilled-workers?style=card" "/embed/skilled-workers.svg?style=card" "/api/v1/targets/skilled-workers"; do
  bytes=$(curl -fs "$base$path" | wc -c)
  wrk -t2 -c64 -d"${secs}s" --latency "$base$path" >"$work/wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  errs=$(grep -E "Non-2xx|Socket errors" "$work/wrk.txt" || true)
  [ -z "$static_rps" ] && static_rps=$rps
  ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.2f", a / b }')
  printf '%-45s %8s %10s %9s %9s %8s %s\n' "$path" "$bytes" "$rps" "$p50" "$p99" "$ratio" "$errs"
done
