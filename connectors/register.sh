#!/usr/bin/env bash
# Registers (creates or updates) the Kafka Connect connectors in this folder: every <name>.json is the config
# of connector <name>, PUT to <connect-url>/connectors/<name>/config. ${VAR:-default} in a file is replaced by
# the environment variable VAR, or the default.
#
#   connectors/register.sh [connect-url]        default: $CONNECT_URL, else http://localhost:8083
#   connectors/register.sh http://connect:8083 laravel-mysql-source    only the named connectors
set -euo pipefail

connect_url=${1:-${CONNECT_URL:-http://localhost:8083}}
shift || true
dir=$(cd "$(dirname "$0")" && pwd)

if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=()
  for file in "$dir"/*.json; do
    names+=("$(basename "$file" .json)")
  done
fi

for name in "${names[@]}"; do
  config=$(perl -pe 's/\$\{(\w+):-([^}]*)\}/defined $ENV{$1} ? $ENV{$1} : $2/ge' "$dir/$name.json")
  status=$(curl -sS -o /tmp/register-$$.out -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "$config" "$connect_url/connectors/$name/config")
  if [ "$status" != 200 ] && [ "$status" != 201 ]; then
    echo "register: $name -> HTTP $status: $(cat /tmp/register-$$.out)" >&2
    rm -f /tmp/register-$$.out
    exit 1
  fi
  rm -f /tmp/register-$$.out
  echo "register: $name -> HTTP $status ($connect_url)"
done
