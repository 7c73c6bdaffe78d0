#!/usr/bin/env bash
# Builds and starts the FlexTime desktop monitor. It connects at once to REDIS_STREAMS_HOST:REDIS_STREAMS_PORT
# (default localhost:6379, database REDIS_STREAMS_DB, default 1, prefix flextime:stream:); flags override the
# variables: --host=, --port=, --username=, --password=, --db=, --tls, --prefix=.
# The JavaFX jars come from Maven Central through the build (monitor-desktop/target/lib), so the only
# prerequisite is Java 17 and a graphical session.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)" == "Linux" && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "The desktop monitor needs a graphical session (DISPLAY or WAYLAND_DISPLAY is not set)." >&2
  echo "Over SSH use 'ssh -X', or run it under Xvfb: xvfb-run ./bin/run-monitor.sh" >&2
  exit 1
fi

echo "Building the desktop monitor..."
./mvnw -q -B -DskipTests -pl monitor-desktop -am package
exec java -cp "monitor-desktop/target/classes:monitor-desktop/target/lib/*" io.flextime.monitor.desktop.Launcher "$@"
