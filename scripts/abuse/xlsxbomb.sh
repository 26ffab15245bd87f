#!/usr/bin/env bash
# Write every kind of hostile workbook (and an ordinary one of ROWS rows) and
# read each, in a fresh process, as the upload path does: how long until it is
# refused or read, the memory allocated and the peak resident memory.
#
# Usage: scripts/abuse/xlsxbomb.sh [ROWS] [KIND...]     (default 200000, every kind)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rows="${1:-200000}"
shift || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/xlsxbomb" ./scripts/abuse/xlsxbomb
kinds=("$@")
if [ ${#kinds[@]} -eq 0 ]; then
  mapfile -t kinds < <("$work/xlsxbomb" -list | awk '{ print $1 }')
fi
for kind in "${kinds[@]}"; do
  "$work/xlsxbomb" -rows "$rows" -kind "$kind" -out "$work/$kind.xlsx"
  "$work/xlsxbomb" -open "$work/$kind.xlsx" | sed "s|$work/||"
  rm -f "$work/$kind.xlsx"
done
