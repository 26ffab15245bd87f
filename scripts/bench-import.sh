#!/usr/bin/env bash
# Benchmark the monthly upload path with a large CSV with breakdowns:
# preview + apply (goal: under 10 s for 1,000,000 rows, peak memory under 200 MB),
# the same file again, revert (goal: no slower than apply), and, for scale,
# sqlite3's own .import of the same file into a plain table (needs the sqlite3 CLI).
#
# Usage: scripts/bench-import.sh [ROWS]     (default 1000000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-1000000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/benchimport" ./scripts/benchimport
"$work/benchimport" -gen "$work/figures.csv" -rows "$rows"
"$work/benchimport" -file "$work/figures.csv" | tee "$work/result.txt"
total=$(awk '/^preview \+ apply:/ { print $4 }' "$work/result.txt")
if command -v sqlite3 >/dev/null; then
  start=$(date +%s.%N)
  sqlite3 "$work/plain.db" -cmd ".mode csv" ".import $work/figures.csv plain"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v n="$rows" -v total="$total" 'BEGIN { t = e - s; printf "sqlite3 .import into a plain table:     %7.2f s  %8.0f rows/s\n", t, n / t
    printf "preview + apply / sqlite3 .import:     %7.2f×\n", total / t }'
else
  echo "sqlite3 CLI not installed (apt-get install sqlite3): no comparison"
fi
