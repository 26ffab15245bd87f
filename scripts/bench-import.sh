#!/usr/bin/env bash
# Benchmark the monthly upload path with a large CSV with breakdowns:
# preview + apply (goal: at most 2.0× the time of sqlite3's own .import of the
# same file into a plain table, run right after, with peak memory under 150 MB),
# the same file again, and revert (goal: no slower than apply). Needs the sqlite3 CLI.
# On a machine shared with other work, compare ratios within one run, run it two or
# three times, and read the processor time of each step too (it varies far less).
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
cpu=$(sed -n 's/^processor time.*preview + apply \([0-9.]*\) s.*/\1/p' "$work/result.txt")
if command -v sqlite3 >/dev/null; then
  TIMEFORMAT='%R %U %S'
  { time sqlite3 "$work/plain.db" -cmd ".mode csv" ".import $work/figures.csv plain"; } 2>"$work/time.txt"
  read -r t user sys <"$work/time.txt"
  awk -v t="$t" -v u="$user" -v sy="$sys" -v n="$rows" -v total="$total" -v cpu="$cpu" 'BEGIN { c = u + sy
    printf "sqlite3 .import into a plain table:     %7.2f s  %8.0f rows/s  (processor time %.2f s)\n", t, n / t, c
    printf "preview + apply / sqlite3 .import:     %7.2f×  (processor time: %.2f×)\n", total / t, cpu / c }'
else
  echo "sqlite3 CLI not installed (apt-get install sqlite3): no comparison"
fi
