#!/usr/bin/env bash
# Runs the whole platform on this machine: the local stack, every service of deploy/local/services.tsv as one or
# more background processes (logs and pids under .linli/), and the demo data; then prints where to reach everything.
#
#   deploy/local/platform.sh up [--scale a=3,b=2]   (npm start [-- --scale ...])  start whatever is not running
#   deploy/local/platform.sh down                   (npm stop)   every instance, then the stack
#   deploy/local/platform.sh status                 the stack and every instance
#   deploy/local/platform.sh plan                   the instances, ports and gateway URLs; starts nothing
#
# Variables (every other exported variable reaches every service as it is):
#   LINLI_SCALE="dispatch=3 resident-requests=2"   instances per service (spaces or commas), default 1 each;
#                                                   unset: the scale of the last `up` (until `down`)
#   LINLI_PORT_OFFSET=1000                          added to every port, so a second platform runs beside the first
#   LINLI_DEMO=0                                    no demo data
#   LINLI_STACK_DIR                                 where the stack, pids and logs live (default .linli)
# Instance k (1-based) of a service whose port is P listens on P + LINLI_PORT_OFFSET + 10*(k-1): dispatch's three
# are 3102, 3112, 3122. Its pid is run/svc-<name>-<k>.pid, its log logs/<name>-<k>.log. The gateway gets every
# instance of a service, comma-separated, in <NAME>_URL and balances over them. `up` again starts any instance that
# is not running (a killed one comes back, as a pod the kubelet restarts) and stops instances beyond the scale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home="${LINLI_STACK_DIR:-$repo/.linli}"
logs="$home/logs"
run="$home/run"
services_file="$here/services.tsv"
offset="${LINLI_PORT_OFFSET:-0}"
# Ten ports between a service's instances: services.tsv's ports are ten apart at most (3100..3107).
instance_stride=10

say() { printf '[linli] %s\n' "$*"; }
die() { printf '[linli] error: %s\n' "$*" >&2; exit 1; }

# For this machine only: a deployment sets its own BOOTSTRAP_ADMIN_PASSWORD (and changes it after the first sign-in).
default_admin_password='linli-admin-2026!'

services() { grep -vE '^\s*(#|$)' "$services_file" || true; }

command="${1:-up}"
shift || true
while (($#)); do
  case "$1" in
    --scale) [[ $# -ge 2 ]] || die "--scale needs a value, e.g. --scale dispatch=3,resident-requests=2"
      LINLI_SCALE="$2"; shift 2 ;;
    --scale=*) LINLI_SCALE="${1#--scale=}"; shift ;;
    *) die "unknown option $1 (usage: $0 up|down|status|plan [--scale name=count,...])" ;;
  esac
done
[[ "$offset" =~ ^[0-9]+$ ]] || die "LINLI_PORT_OFFSET must be a whole number of ports, not '$offset'"

# The scale of the running platform is remembered (run/scale) until `down`: a later `up` or `status` without
# LINLI_SCALE keeps it, as replicas stay as set until changed; LINLI_SCALE="" (set, empty) is one of each again.
if [[ -z "${LINLI_SCALE+set}" && -f "$run/scale" ]]; then LINLI_SCALE="$(cat "$run/scale")"; fi

declare -A scale=()
parse_scale() {
  local entry name count entries=()
  IFS=', ' read -ra entries <<<"${LINLI_SCALE:-}"
  for entry in "${entries[@]}"; do
    [[ "$entry" =~ ^([a-z][a-z-]*)=([0-9]+)$ ]] || die "LINLI_SCALE: '$entry' is not name=count (e.g. dispatch=3)"
    name="${BASH_REMATCH[1]}"
    count="$((10#${BASH_REMATCH[2]}))"
    services | awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' ||
      die "LINLI_SCALE: no service '$name' in $services_file"
    ((count >= 1 && count < instance_stride * 9)) || die "LINLI_SCALE: $name=$count (from 1 to 89 instances)"
    scale[$name]="$count"
  done
}
parse_scale

count_of() { printf '%s' "${scale[$1]:-1}"; }

# Every wanted instance, one per line: name k port (worked out once, here).
instance_lines=""
while read -r name port; do
  [[ -n "$name" ]] || continue
  for ((k = 1; k <= ${scale[$name]:-1}; k++)); do
    instance_lines+="$name $k $((port + offset + instance_stride * (k - 1)))"$'\n'
  done
done < <(services)
instances() { printf '%s' "$instance_lines"; }

url_list() { # name -> http://127.0.0.1:p1,http://127.0.0.1:p2
  instances | awk -v n="$1" '$1 == n { printf "%shttp://127.0.0.1:%s", (c++ ? "," : ""), $3 }'
}

# The gateway routes /api/<name>/ to each service at <NAME>_URL (resident-requests -> RESIDENT_REQUESTS_URL).
export_service_urls() {
  local name _port
  while read -r name _port; do
    [[ -n "$name" && "$name" != gateway ]] || continue
    export "$(tr 'a-z-' 'A-Z_' <<<"$name")_URL=$(url_list "$name")"
  done < <(services)
}

pid_file() { printf '%s/svc-%s-%s.pid' "$run" "$1" "$2"; }
# Alive: the pid runs a service (not a zombie just killed, nor a recycled pid now running something else).
pid_alive() {
  local pid
  [[ -f "$1" ]] && pid="$(cat "$1")" && [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/stat" ]] || return 0 # no /proc (macOS): kill -0 is all there is
  [[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]] && grep -qa 'src/main.ts' "/proc/$pid/cmdline" 2>/dev/null
}
instance_alive() { pid_alive "$(pid_file "$1" "$2")"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_pid_file() { # pid-file label; TERM, then KILL after 15 s (a graceful shutdown drains consumers first)
  local file="$1" pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  pid="$(cat "$file")"
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then say "$2 still running after 15 s: kill -9"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
}

# Instances that run but are beyond the scale (scaled down): stopped by `up`.
surplus_pid_files() {
  local file base name k
  for file in "$run"/svc-*-*.pid; do
    [[ -e "$file" ]] || continue
    base="${file##*/svc-}"
    base="${base%.pid}"
    name="${base%-*}"
    k="${base##*-}"
    [[ "$k" =~ ^[0-9]+$ ]] || continue
    ((k > $(count_of "$name"))) && printf '%s\n' "$file"
  done
  return 0
}

start_instance() { # name k port
  local name="$1" k="$2" port="$3"
  if port_open "$port"; then
    die "$name-$k: port $port is taken by another process (another platform? set LINLI_PORT_OFFSET)"
  fi
  say "starting $name-$k on http://127.0.0.1:$port"
  SERVICE_NAME="$name" HTTP_PORT="$port" KAFKAJS_NO_PARTITIONER_WARNING=1 SWC_NODE_PROJECT="$repo/tsconfig.base.json" \
    nohup node -r @swc-node/register "$repo/services/$name/src/main.ts" >>"$logs/$name-$k.log" 2>&1 &
  echo $! >"$(pid_file "$name" "$k")"
}

# An instance that exits before it is ready is started again, twice at most (a kubelet restarts a crashed pod too):
# on a fresh, busy stack a service may give up waiting for its topics' leaders.
start_restarts=2

wait_ready() { # name k port
  local name="$1" k="$2" port="$3" restarts=0
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    if ! instance_alive "$name" "$k"; then
      tail -n 20 "$logs/$name-$k.log" >&2
      ((restarts < start_restarts)) || die "$name-$k exited; log: $logs/$name-$k.log"
      restarts=$((restarts + 1))
      say "$name-$k exited before it was ready: starting it again ($restarts of $start_restarts)"
      start_instance "$name" "$k" "$port"
    fi
    sleep 0.2
  done
  die "$name-$k not ready after 120 s; log: $logs/$name-$k.log"
}

# The gateway reads its <NAME>_URL lists at start: when the scale changed under a running gateway, it restarts.
gateway_upstreams() { plan | grep '^env '; }

# An instance started by the platform.sh of before LINLI_SCALE (run/svc-<name>.pid) becomes instance 1.
adopt_single_instances() {
  local name _port
  while read -r name _port; do
    [[ -n "$name" && -f "$run/svc-$name.pid" ]] || continue
    if pid_alive "$run/svc-$name.pid" && ! instance_alive "$name" 1; then
      mv "$run/svc-$name.pid" "$(pid_file "$name" 1)"
    else
      rm -f "$run/svc-$name.pid"
    fi
  done < <(services)
}

up() {
  bash "$here/install-prereqs.sh"
  bash "$here/stack.sh" start
  eval "$(bash "$here/stack.sh" env)"
  export_service_urls
  # The acknowledgement links notifications sends point at emergency's first instance on this platform's ports.
  if ((offset > 0)); then
    export ALERT_ACK_LINK_BASE_URL="${ALERT_ACK_LINK_BASE_URL:-$(url_list emergency | cut -d, -f1)/acknowledgements/link}"
  fi
  # The gateway's first user, `admin`, when it has none; the demo users are created with it (seed-demo.ts).
  export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-$default_admin_password}"
  mkdir -p "$logs" "$run"
  adopt_single_instances
  local file base name k port
  while read -r file; do
    [[ -n "$file" ]] || continue
    base="${file##*/svc-}"
    stop_pid_file "$file" "${base%.pid} (beyond LINLI_SCALE)"
  done < <(surplus_pid_files)
  if [[ -f "$run/gateway.upstreams" ]] && ! diff -q <(gateway_upstreams) "$run/gateway.upstreams" >/dev/null; then
    while read -r name k port; do
      [[ "$name" == gateway ]] || continue
      stop_pid_file "$(pid_file gateway "$k")" "gateway-$k (its services' URLs changed)"
    done < <(instances)
  fi
  gateway_upstreams >"$run/gateway.upstreams"
  printf '%s\n' "${LINLI_SCALE:-}" >"$run/scale"
  while read -r name k port; do
    if instance_alive "$name" "$k"; then say "$name-$k already running"; continue; fi
    start_instance "$name" "$k" "$port"
  done < <(instances)
  while read -r name k port; do wait_ready "$name" "$k" "$port"; done < <(instances)
  local gateway
  gateway="$(url_list gateway | cut -d, -f1)"
  [[ -z "$gateway" ]] || export GATEWAY_URL="$gateway"
  if [[ "${LINLI_DEMO:-1}" == 0 ]]; then
    say "no demo data (LINLI_DEMO=0)"
  elif [[ -x "$repo/deploy/local/seed-demo.sh" ]]; then
    bash "$repo/deploy/local/seed-demo.sh"
  fi
  services_status # the stack printed its own status when it started
  if [[ -n "$gateway" ]]; then
    say "the platform: $gateway   (console /, the services' APIs /api/<service>/…, sign-in /auth/login)"
    say "first sign-in: admin / $BOOTSTRAP_ADMIN_PASSWORD (only when the gateway had no user yet; BOOTSTRAP_ADMIN_PASSWORD)"
  fi
}

down() {
  local file base
  for file in "$run"/svc-*.pid; do
    [[ -e "$file" ]] || continue
    base="${file##*/svc-}"
    stop_pid_file "$file" "${base%.pid}" &
  done
  wait
  rm -f "$run/gateway.upstreams" "$run/scale"
  bash "$here/stack.sh" stop
}

status() {
  bash "$here/stack.sh" status || true
  services_status
}

services_status() {
  local count=0 name k port state file base
  while read -r name k port; do
    count=$((count + 1))
    state=down
    instance_alive "$name" "$k" && state=up
    printf '  %-22s %-5s http://127.0.0.1:%s  (API docs /docs, health /health/ready, metrics /metrics; log %s)\n' \
      "$name-$k" "$state" "$port" "$logs/$name-$k.log"
  done < <(instances)
  for file in $(surplus_pid_files); do
    pid_alive "$file" || continue
    base="${file##*/svc-}"
    printf '  %-22s %-5s (beyond LINLI_SCALE="%s"; an `up` with it stops this instance)\n' "${base%.pid}" up "${LINLI_SCALE:-}"
  done
  ((count > 0)) || say "no services yet: the foundation runs the stack only (see docs/ and the open issues)"
}

plan() {
  local name k port _p
  while read -r name k port; do printf 'instance %s %s %s\n' "$name" "$k" "$port"; done < <(instances)
  while read -r name _p; do
    [[ -n "$name" && "$name" != gateway ]] || continue
    printf 'env %s_URL=%s\n' "$(tr 'a-z-' 'A-Z_' <<<"$name")" "$(url_list "$name")"
  done < <(services)
}

case "$command" in
  up) up ;;
  down) down ;;
  status) status ;;
  plan) plan ;;
  *) echo "usage: $0 up|down|status|plan [--scale name=count,...]" >&2; exit 1 ;;
esac
