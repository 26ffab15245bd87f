#!/usr/bin/env bash
# Usage: scripts/browser-check.sh [-out DIR] [-chromium PATH] [-timeout 3m]
#
# Builds ./cmd/hrx, starts it on a free port with a new SQLite database, and
# walks through the app in headless Chromium as a ministry user would: first
# administrator, a new editor, month entry (with a validation error), uploads
# (errors, Shift_JIS), the public dashboard and the widget builder. Prints
# "ok  <step>" or "FAIL <step>: <why>" and exits 1 on the first failure.
# Screenshots of every step go to -out (default: a new temporary folder,
# printed at the end). Needs Go and Chromium (/usr/bin/chromium on Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec go run ./scripts/browsercheck "$@"
