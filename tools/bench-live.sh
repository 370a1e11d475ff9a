#!/usr/bin/env bash
# Live stream delay benchmark: how long a row takes from its INSERT to the Live packet carrying it (median, p95),
# through QueryData + RunStream of the data source, against a real node.
# Usage: tools/bench-live.sh [rows=60] [streamIntervalMs=1000]
# Env: CQL_TEST_HOST (default 127.0.0.1:19042, where tools/cassandra-node.sh start puts a node),
#      CQL_TEST_USER / CQL_TEST_PASSWORD (default cassandra/cassandra), MVN_OFFLINE=1 to build with -o.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CQL_TEST_HOST=${CQL_TEST_HOST:-127.0.0.1:19042}
# one reactor, so the data source is built against this checkout's SDK, not whatever ~/.m2 holds
mvn -B -q ${MVN_OFFLINE:+-o} -pl backend/sdk,backend/datasource test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >&2
cd backend/datasource
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx512m \
    -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
    io.opencql.cql.internal.live.LiveDelayBenchmark "$@"
