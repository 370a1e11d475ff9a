#!/usr/bin/env bash
# Benchmark of the SDK's frame encoders (io.opencql.grafana.data.ArrowEncodeBenchmark): a 1,000,000-row
# frame (time, float64, string) to Arrow IPC bytes, to Grafana's JSON frame format, and long-to-wide.
# Usage: tools/bench-arrow.sh   Env: BENCH_HEAP (default 512m), MVN_OFFLINE=1 (build with mvn -o).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SDK=$ROOT/backend/sdk
mvn -B -q ${MVN_OFFLINE:+-o} -f "$SDK/pom.xml" test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
exec java -Xmx"${BENCH_HEAP:-512m}" --add-opens=java.base/java.nio=ALL-UNNAMED \
    -cp "$SDK/target/test-classes:$SDK/target/classes:$(cat "$SDK/target/bench.classpath")" \
    io.opencql.grafana.data.ArrowEncodeBenchmark "$@"
