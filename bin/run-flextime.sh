#!/usr/bin/env bash
# Builds and starts the FlexTime event service against Redis at REDIS_STREAMS_HOST:REDIS_STREAMS_PORT
# (default localhost:6379). When nothing answers there, it starts a local Redis for development:
# a redis-server child process (data under flextime-event-functions/target/dev-redis), or
# 'docker compose up redis' where Docker exists; otherwise it says how to get one.
# --demo switches on the demo traffic generator (flextime.demo.enabled=true).
# Other arguments go to the application, e.g. --EVENT_API_PORT=3011 or --flextime.demo.rate-per-second=20.
set -euo pipefail
cd "$(dirname "$0")/.."

host="${REDIS_STREAMS_HOST:-localhost}"
port="${REDIS_STREAMS_PORT:-6379}"

redis_answers() {
  # A RESP PING over bash's /dev/tcp: no redis-cli needed. The subshell keeps the probe's redirections
  # (and a refused connection's message) away from the rest of the script.
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf '*1\r\n$4\r\nPING\r\n' >&3
    reply=""
    read -r -t 2 reply <&3 || true
    [[ "$reply" == +PONG* || "$reply" == -NOAUTH* ]]
  ) 2>/dev/null
}

echo "Building the FlexTime event service..."
./mvnw -q -B -DskipTests -pl flextime-event-functions -am package

child=""
if ! redis_answers; then
  if [[ "$host" != "localhost" && "$host" != "127.0.0.1" ]]; then
    echo "No Redis answers at $host:$port. Start it, or unset REDIS_STREAMS_HOST to use a local one." >&2
    exit 1
  fi
  if command -v redis-server >/dev/null 2>&1; then
    data="flextime-event-functions/target/dev-redis"
    mkdir -p "$data"
    echo "No Redis at $host:$port; starting redis-server for development (data in $data)"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$data" --appendonly yes --daemonize no \
      --logfile "$PWD/$data/redis.log" &
    child=$!
    trap 'kill "$child" 2>/dev/null || true' EXIT
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "No Redis at $host:$port; starting the compose service 'redis'"
    docker compose up -d redis
  else
    echo "No Redis at $host:$port, no redis-server binary and no Docker." >&2
    echo "Install Redis 7 (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)," >&2
    echo "or point REDIS_STREAMS_HOST/REDIS_STREAMS_PORT at a running server." >&2
    exit 1
  fi
  for _ in $(seq 1 50); do redis_answers && break; sleep 0.2; done
  redis_answers || { echo "Redis did not come up at $host:$port" >&2; exit 1; }
fi

args=()
for arg in "$@"; do
  if [[ "$arg" == "--demo" ]]; then args+=("--flextime.demo.enabled=true"); else args+=("$arg"); fi
done
java -jar flextime-event-functions/target/flextime-event-functions-0.1.0-SNAPSHOT-exec.jar ${args[@]+"${args[@]}"}
