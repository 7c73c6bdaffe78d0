#!/usr/bin/env bash
# Builds and runs the benchmarks (see the README's Performance section). Flags go to the benchmark, e.g.
#   ./bin/run-benchmarks.sh --scenarios=limit,binder --events=100000
# Redis: REDIS_URL if set, else a redis-server of its own on a free port (as the tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building the benchmarks..."
./mvnw -q -B -DskipTests -pl benchmarks -am package
exec java -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.flextime.benchmarks.BenchmarkMain "$@"
