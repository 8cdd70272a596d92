#!/usr/bin/env bash
# The local stack without Docker: Apache Kafka (KRaft, one node), mongo-java-server (MongoDB wire, H2 file
# backend) and Redis, as processes on 127.0.0.1. Jars, data and logs live under $LINLI_STACK_DIR (.linli/).
#
#   deploy/local/stack.sh start    fetch (first time only) and start whatever is not running; idempotent
#   deploy/local/stack.sh stop     stop what this script started (never the machine's own Redis)
#   deploy/local/stack.sh status   what is up, where, and where the logs are; exit 1 when a part is down
#   deploy/local/stack.sh env      the connection variables, for `eval "$(deploy/local/stack.sh env)"`
#   deploy/local/stack.sh reset    stop, then delete the stack's data (not the cached jars)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
home="${LINLI_STACK_DIR:-$repo/.linli}"
host=127.0.0.1
kafka_port="${LINLI_KAFKA_PORT:-9092}"
kafka_controller_port="${LINLI_KAFKA_CONTROLLER_PORT:-9093}"
mongo_port="${LINLI_MONGO_PORT:-27017}"
redis_port="${LINLI_REDIS_PORT:-6379}"
kafka_heap="${LINLI_KAFKA_HEAP:--Xms256m -Xmx768m}"
# mongo-java-server keeps its indexes on the heap: 768 MB ran out at 100,000 elders and their week of visits (the
# visits benchmark), and an OutOfMemoryError kills its connection acceptor for good. Memory is not scarce here.
mongo_heap="${LINLI_MONGO_HEAP:--Xms256m -Xmx3g -XX:+ExitOnOutOfMemoryError}"
ready_timeout="${LINLI_STACK_READY_TIMEOUT:-90}"

jars="${LINLI_STACK_JARS:-$home/jars}"
data="$home/data"
logs="$home/logs"
run="$home/run"

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

pid_alive() {
  local f="$run/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

require() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=("java (Java 17 or newer: apt-get install openjdk-17-jre-headless)")
  command -v javac >/dev/null 2>&1 || missing+=("javac (apt-get install openjdk-17-jdk-headless)")
  if [[ ! -f "$jars/kafka/.complete" || ! -f "$jars/mongo/.complete" ]]; then
    command -v mvn >/dev/null 2>&1 || missing+=("mvn, to fetch the Kafka and mongo-java-server jars once (apt-get install maven)")
  fi
  if ! redis_reachable && ! command -v redis-server >/dev/null 2>&1; then
    missing+=("redis-server: nothing answers on $host:$redis_port and it is not installed (apt-get install redis-server)")
  fi
  if ((${#missing[@]})) && [[ "${LINLI_STACK_NO_INSTALL:-}" != 1 ]] && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    # On a fresh Debian machine, as root: install what is missing once, then look again.
    bash "$here/install-prereqs.sh" >&2 && LINLI_STACK_NO_INSTALL=1 require
    return
  fi
  if ((${#missing[@]})); then
    printf '[stack] cannot start, missing:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
  fi
  local major
  major="$(java -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)"
  ((major >= 17)) || die "Kafka 4 needs Java 17 or newer; java is $major (set JAVA_HOME or PATH to a newer one)"
}

redis_reachable() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(redis-cli -h "$host" -p "$redis_port" ping 2>/dev/null)" == PONG ]]
  else
    port_open "$redis_port"
  fi
}

fetch_jars() {
  local name="$1"
  if [[ -f "$jars/$name/.complete" && "$jars/$name/.complete" -nt "$here/$name/pom.xml" ]]; then return; fi
  say "fetching $name jars from Maven Central (first start only)"
  rm -rf "$jars/$name"
  mkdir -p "$jars/$name"
  mvn -q -B -f "$here/$name/pom.xml" dependency:copy-dependencies -DoutputDirectory="$jars/$name" \
    >"$logs/maven-$name.log" 2>&1 || die "maven could not fetch the $name jars; see $logs/maven-$name.log"
  touch "$jars/$name/.complete"
}

wait_port() {
  local name="$1" port="$2" pidname="$3" log="$4" waited=0
  until port_open "$port"; do
    if [[ -n "$pidname" ]] && ! pid_alive "$pidname"; then
      tail -n 30 "$log" >&2 || true
      die "$name exited during start-up; log: $log"
    fi
    ((waited >= ready_timeout * 5)) && die "$name did not open port $port in ${ready_timeout}s; log: $log"
    sleep 0.2
    waited=$((waited + 1))
  done
}

start_kafka() {
  if pid_alive kafka && port_open "$kafka_port"; then say "kafka already running on $host:$kafka_port"; return; fi
  port_open "$kafka_port" && die "port $kafka_port is taken by a process this stack did not start"
  fetch_jars kafka
  local dir="$data/kafka" conf="$home/conf/kafka.properties"
  mkdir -p "$dir" "$home/conf"
  cat >"$conf" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$kafka_controller_port
listeners=PLAINTEXT://$host:$kafka_port,CONTROLLER://$host:$kafka_controller_port
advertised.listeners=PLAINTEXT://$host:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir
num.partitions=${LINLI_KAFKA_PARTITIONS:-6}
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.ms=-1
EOF
  if [[ ! -f "$dir/meta.properties" ]]; then
    say "formatting kafka storage in $dir"
    local cluster
    cluster="$(java -cp "$jars/kafka/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$jars/kafka/*" kafka.tools.StorageTool format -t "$cluster" -c "$conf" >"$logs/kafka-format.log" 2>&1 ||
      die "kafka storage format failed; see $logs/kafka-format.log"
  fi
  say "starting kafka on $host:$kafka_port"
  # shellcheck disable=SC2086
  nohup java $kafka_heap -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" -Dkafka.logs.dir="$logs" \
    -cp "$jars/kafka/*" kafka.Kafka "$conf" >>"$logs/kafka.log" 2>&1 9>&- &
  echo $! >"$run/kafka.pid"
}

start_mongo() {
  if pid_alive mongo && port_open "$mongo_port"; then say "mongo-wire server already running on $host:$mongo_port"; return; fi
  port_open "$mongo_port" && die "port $mongo_port is taken by a process this stack did not start"
  fetch_jars mongo
  local classes="$home/classes"
  if [[ ! -f "$classes/MongoWireServer.class" || "$here/mongo/MongoWireServer.java" -nt "$classes/MongoWireServer.class" ]]; then
    mkdir -p "$classes"
    javac -cp "$jars/mongo/*" -d "$classes" "$here/mongo/MongoWireServer.java" || die "could not compile the mongo launcher"
  fi
  mkdir -p "$data/mongo"
  say "starting mongo-wire server on $host:$mongo_port"
  # shellcheck disable=SC2086
  nohup java $mongo_heap -XX:+UseG1GC -cp "$classes:$jars/mongo/*" MongoWireServer "$host" "$mongo_port" \
    "$data/mongo/linli.mv" >>"$logs/mongo.log" 2>&1 9>&- &
  echo $! >"$run/mongo.pid"
}

start_redis() {
  if redis_reachable; then
    say "redis already answering on $host:$redis_port"
    return
  fi
  mkdir -p "$data/redis"
  say "starting redis-server on $host:$redis_port"
  redis-server --bind "$host" --port "$redis_port" --save "" --appendonly no --dir "$data/redis" \
    --daemonize yes --pidfile "$run/redis.pid" --logfile "$logs/redis.log" >/dev/null 9>&-
}

stop_one() {
  local name="$1" f="$run/$1.pid"
  if ! pid_alive "$name"; then rm -f "$f"; return; fi
  local pid
  pid="$(cat "$f")"
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop in 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

line() {
  local name="$1" state="$2" where="$3" log="$4"
  printf '  %-7s %-5s %-22s %s\n' "$name" "$state" "$where" "$log"
}

cmd_status() {
  local down=0 s
  printf '[stack] %s (data and logs under %s)\n' "local stack" "$home"
  if pid_alive kafka && port_open "$kafka_port"; then s=up; else s=down; down=1; fi
  line kafka "$s" "$host:$kafka_port" "$logs/kafka.log"
  if pid_alive mongo && port_open "$mongo_port"; then s=up; else s=down; down=1; fi
  line mongo "$s" "$host:$mongo_port" "$logs/mongo.log"
  if redis_reachable; then s=up; else s=down; down=1; fi
  if pid_alive redis; then line redis "$s" "$host:$redis_port" "$logs/redis.log"
  else line redis "$s" "$host:$redis_port" "(the machine's own redis-server)"; fi
  return "$down"
}

cmd_env() {
  printf 'export KAFKA_BROKERS=%s:%s\n' "$host" "$kafka_port"
  printf 'export MONGO_URL=mongodb://%s:%s\n' "$host" "$mongo_port"
  printf 'export REDIS_URL=redis://%s:%s\n' "$host" "$redis_port"
}

cmd_start() {
  mkdir -p "$jars" "$data" "$logs" "$run"
  require
  # One start at a time: two callers (say, two test runs) must not launch two brokers.
  exec 9>"$run/start.lock"
  flock -w 300 9 || die "another start is still running (lock $run/start.lock)"
  start_redis
  start_mongo
  start_kafka
  wait_port mongo "$mongo_port" mongo "$logs/mongo.log"
  wait_port kafka "$kafka_port" kafka "$logs/kafka.log"
  node "$here/wait-kafka.js" "$host:$kafka_port" "$ready_timeout" || die "kafka did not become ready; log: $logs/kafka.log"
  redis_reachable || die "redis is not answering on $host:$redis_port; log: $logs/redis.log"
  cmd_status
}

case "${1:-status}" in
  start) cmd_start ;;
  stop)
    stop_one kafka
    stop_one mongo
    stop_one redis
    ;;
  restart)
    "$0" stop
    "$0" start
    ;;
  status) cmd_status ;;
  env) cmd_env ;;
  reset)
    "$0" stop
    rm -rf "$data"
    say "data removed from $data"
    ;;
  *) die "usage: $0 start|stop|restart|status|env|reset" ;;
esac
