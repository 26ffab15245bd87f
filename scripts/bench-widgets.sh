#!/usr/bin/env bash
# Load-test the cached public endpoints (widget HTML /embed/{slug}, widget SVG
# /embed/{slug}.svg, oEmbed /oembed?url=…, the targets API /api/v1/targets/{slug}
# and its list /api/v1/targets) against the floor: a bare Echo handler
# (scripts/barewidget) answering the same bytes, with no middleware. Each endpoint
# is measured on HRX and then on two bare servers right after it, with wrk
# (-t2 -c32, loopback), ROUNDS times: one answering the same body (and its
# Content-Type), the other the same body and every header HRX sends (caching,
# security, CORS), so the bytes on the wire are the same and only the work between
# request and answer differs. The table gives each one's requests per second and
# HRX's ratio to both. HRX runs as `hrx serve` does in production: request logs
# written (to a file), metrics counted, security headers on. Goal: every ratio ≥ 0.90.
#
# Usage: scripts/bench-widgets.sh [ROWS] [SECONDS] [ROUNDS]   (defaults 100000, 10 and 1)
# Needs wrk (apt-get install wrk). On a busy machine, run several rounds and
# compare the ratios, which are measured side by side, rather than the rates.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-100000}"
secs="${2:-10}"
rounds="${3:-1}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
work=$(mktemp -d)
port=18931
bare_port=18932
same_port=18933
pid=""
bare_pid=""
same_pid=""
trap 'kill $pid $bare_pid $same_pid 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/hrx" ./cmd/hrx
go build -o "$work/barewidget" ./scripts/barewidget
go build -o "$work/benchimport" ./scripts/benchimport
"$work/benchimport" -gen "$work/figures.csv" -rows "$rows" >/dev/null
HRX_DATABASE_URL="$work/hrx.db" "$work/hrx" import "$work/figures.csv" >/dev/null
HRX_DATABASE_URL="$work/hrx.db" HRX_ADDR="127.0.0.1:$port" "$work/hrx" serve >"$work/out.log" 2>"$work/err.log" &
pid=$!
base="http://127.0.0.1:$port"
bare="http://127.0.0.1:$bare_port"
same="http://127.0.0.1:$same_port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
paths=(
  "/embed/skilled-workers?style=card"
  "/embed/skilled-workers.svg?style=card"
  "/oembed?url=http%3A%2F%2Flocalhost%3A$port%2Ftargets%2Fskilled-workers"
  "/api/v1/targets/skilled-workers"
  "/api/v1/targets"
)
"$work/barewidget" -from "$base" -addr "127.0.0.1:$bare_port" "${paths[@]}" 2>"$work/bare.log" &
bare_pid=$!
"$work/barewidget" -headers -from "$base" -addr "127.0.0.1:$same_port" "${paths[@]}" 2>"$work/same.log" &
same_pid=$!
for _ in $(seq 1 100); do curl -fs "$bare${paths[3]}" >/dev/null && curl -fs "$same${paths[3]}" >/dev/null && break; sleep 0.2; done

# measure URL: runs wrk and prints "req/s p99" (and any errors on stderr).
measure() {
  wrk -t2 -c32 -d"${secs}s" --latency "$1" >"$work/wrk.txt"
  if grep -qE "Non-2xx|Socket errors" "$work/wrk.txt"; then grep -E "Non-2xx|Socket errors" "$work/wrk.txt" | sed "s|^|$1: |" >&2; fi
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") $(awk '$1=="99%" {print $2}' "$work/wrk.txt")"
}

echo "wrk -t2 -c32 -d${secs}s, $rows figures, $(nproc) cores; hrx: $base, bare Echo: $bare (same body), $same (same body and headers)"
printf '%-5s %-32s %6s %9s %9s %9s %6s %6s %8s\n' "round" "endpoint" "bytes" "hrx/s" "bare/s" "same/s" "/bare" "/same" "hrx p99"
for round in $(seq 1 "$rounds"); do
  for path in "${paths[@]}"; do
    bytes=$(curl -fs "$base$path" | wc -c)
    read -r rps p99 < <(measure "$base$path")
    read -r bare_rps _ < <(measure "$bare$path")
    read -r same_rps _ < <(measure "$same$path")
    awk -v r="$round" -v p="${path:0:32}" -v n="$bytes" -v a="$rps" -v b="$bare_rps" -v s="$same_rps" -v q="$p99" \
      'BEGIN { printf "%-5s %-32s %6s %9.0f %9.0f %9.0f %6.2f %6.2f %8s\n", r, p, n, a, b, s, a / b, a / s, q }'
  done
done
lines=$(wc -l <"$work/err.log")
echo "hrx wrote $lines log lines to its standard error during the run"
