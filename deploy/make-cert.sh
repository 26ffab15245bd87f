#!/bin/sh
# Makes a self-signed certificate for the proxy (deploy/certs/hrx.crt and
# hrx.key), for a trial: browsers warn about it. In production put the
# certificate and key your certificate authority issued there instead.
# Usage: deploy/make-cert.sh [HOSTNAME]   (default localhost)
set -eu
host=${1:-localhost}
dir=$(dirname "$0")/certs
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/hrx.key" -out "$dir/hrx.crt"
chmod 600 "$dir/hrx.key"
echo "wrote $dir/hrx.crt and $dir/hrx.key for $host"
