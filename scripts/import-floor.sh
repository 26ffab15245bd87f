#!/usr/bin/env bash
# What the figures table itself costs an import, measured with sqlite3 alone:
# the same generated CSV as scripts/bench-import.sh, (1) imported into a plain
# table (bench-import.sh's yardstick), then (2) copied from that table into
# HRX's own figures table (its unique key, its index of plain rows), as one
# INSERT … SELECT run by SQLite's own code: no file to read, nothing to check,
# no history, no totals. Any import that keeps the figures in that table
# spends at least (1) reading the file and (2) writing it, so (1 + 2) / (1)
# is a floor under bench-import.sh's "preview + apply / sqlite3 .import".
#
# Usage: scripts/import-floor.sh [ROWS]     (default 1000000; needs the sqlite3 CLI)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-1000000}"
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI not installed (apt-get install sqlite3)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/benchimport" ./scripts/benchimport
go build -o "$work/hrx" ./cmd/hrx
"$work/benchimport" -gen "$work/figures.csv" -rows "$rows" >/dev/null
HRX_DATABASE_URL="$work/hrx.db" "$work/hrx" migrate >/dev/null
TIMEFORMAT='%R'
plain=$( { time sqlite3 "$work/hrx.db" -cmd ".mode csv" ".import $work/figures.csv plain" >/dev/null; } 2>&1 )
copy=$( { time sqlite3 "$work/hrx.db" "INSERT INTO figures (month, direction, category, sector, origin, destination, count, status, source, note, created_at, updated_at)
  SELECT month, direction, category, sector, origin, destination, CAST(count AS INTEGER), status, source, note, '2026-12-01 00:00:00', '2026-12-01 00:00:00' FROM plain" >/dev/null; } 2>&1 )
n=$(sqlite3 "$work/hrx.db" "SELECT COUNT(*) FROM figures")
awk -v p="$plain" -v c="$copy" -v n="$n" 'BEGIN {
  printf "%d rows\n", n
  printf "(1) sqlite3 .import into a plain table:          %6.2f s\n", p
  printf "(2) INSERT … SELECT into HRX'"'"'s figures table:    %6.2f s  (%.2f× (1))\n", c, c / p
  printf "floor of preview + apply / sqlite3 .import:     %6.2f×\n", (p + c) / p }'
