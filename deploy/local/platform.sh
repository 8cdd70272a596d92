#!/usr/bin/env bash
# Runs the whole platform on this machine: the local stack, every service of deploy/local/services.tsv as a
# background process (logs and pids under .linli/), and the demo data; then prints where to reach everything.
#
#   deploy/local/platform.sh up       (npm start)
#   deploy/local/platform.sh down     (npm stop)   services, then the stack
#   deploy/local/platform.sh status
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home="${LINLI_STACK_DIR:-$repo/.linli}"
logs="$home/logs"
run="$home/run"
services_file="$here/services.tsv"

say() { printf '[linli] %s\n' "$*"; }

# For this machine only: a deployment sets its own BOOTSTRAP_ADMIN_PASSWORD (and changes it after the first sign-in).
default_admin_password='linli-admin-2026!'

services() { grep -vE '^\s*(#|$)' "$services_file" || true; }

# The gateway routes /api/<name>/ to each service at <NAME>_URL (resident-requests -> RESIDENT_REQUESTS_URL).
export_service_urls() {
  local name port
  while read -r name port; do
    [[ -n "$name" && "$name" != gateway ]] || continue
    export "$(tr 'a-z-' 'A-Z_' <<<"$name")_URL=http://127.0.0.1:$port"
  done < <(services)
}

gateway_port() { services | awk '$1 == "gateway" { print $2 }'; }

service_alive() { [[ -f "$run/svc-$1.pid" ]] && kill -0 "$(cat "$run/svc-$1.pid")" 2>/dev/null; }

up() {
  bash "$here/install-prereqs.sh"
  bash "$here/stack.sh" start
  eval "$(bash "$here/stack.sh" env)"
  export_service_urls
  # The gateway's first user, `admin`, when it has none; the demo users are created with it (seed-demo.ts).
  export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-$default_admin_password}"
  mkdir -p "$logs" "$run"
  while read -r name port; do
    [[ -n "$name" ]] || continue
    if service_alive "$name"; then say "$name already running"; continue; fi
    say "starting $name on http://127.0.0.1:$port"
    SERVICE_NAME="$name" HTTP_PORT="$port" KAFKAJS_NO_PARTITIONER_WARNING=1 SWC_NODE_PROJECT="$repo/tsconfig.base.json" \
      nohup node -r @swc-node/register "$repo/services/$name/src/main.ts" >>"$logs/$name.log" 2>&1 &
    echo $! >"$run/svc-$name.pid"
  done < <(services)
  while read -r name port; do
    [[ -n "$name" ]] || continue
    for _ in $(seq 1 300); do
      curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
      service_alive "$name" || { tail -n 40 "$logs/$name.log" >&2; say "$name exited; log: $logs/$name.log"; exit 1; }
      sleep 0.2
    done
  done < <(services)
  local gateway
  gateway="$(gateway_port)"
  [[ -z "$gateway" ]] || export GATEWAY_URL="http://127.0.0.1:$gateway"
  if [[ -x "$repo/deploy/local/seed-demo.sh" ]]; then bash "$repo/deploy/local/seed-demo.sh"; fi
  services_status # the stack printed its own status when it started
  if [[ -n "$gateway" ]]; then
    say "the platform: http://127.0.0.1:$gateway   (console /, the services' APIs /api/<service>/…, sign-in /auth/login)"
    say "first sign-in: admin / $BOOTSTRAP_ADMIN_PASSWORD (only when the gateway had no user yet; BOOTSTRAP_ADMIN_PASSWORD)"
  fi
}

down() {
  while read -r name _; do
    [[ -n "$name" ]] || continue
    if service_alive "$name"; then
      say "stopping $name"
      kill -TERM "$(cat "$run/svc-$name.pid")" 2>/dev/null || true
    fi
  done < <(services)
  sleep 1
  bash "$here/stack.sh" stop
}

status() {
  bash "$here/stack.sh" status || true
  services_status
}

services_status() {
  local count=0
  while read -r name port; do
    [[ -n "$name" ]] || continue
    count=$((count + 1))
    local state=down
    service_alive "$name" && state=up
    printf '  %-20s %-5s http://127.0.0.1:%s  (API docs /docs, health /health/ready, metrics /metrics; log %s)\n' \
      "$name" "$state" "$port" "$logs/$name.log"
  done < <(services)
  ((count > 0)) || say "no services yet: the foundation runs the stack only (see docs/ and the open issues)"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 1 ;;
esac
