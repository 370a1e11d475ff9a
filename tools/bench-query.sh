#!/usr/bin/env bash
# Benchmark of the query path (io.opencql.cql.internal.query.QueryPathBenchmark): the bare driver vs the plugin's
# query path (CqlQueries) + Arrow encoding on 1,000,000 rows, with medians, their ratio and the peak RSS.
# Usage: tools/bench-query.sh [rows=1000000] [runs=5] [warmup=2] [pageSize=5000]
# Env: CQL_TEST_HOST (default 127.0.0.1:19042; start a node with tools/cassandra-node.sh start),
#      CQL_TEST_USER / CQL_TEST_PASSWORD (default cassandra/cassandra), BENCH_HEAP (default 256m),
#      BENCH_JVM_OPTS (extra JVM flags), MVN_OFFLINE=1 (build with mvn -o),
#      BENCH_CLASS (another benchmark main of the data source's test classes, e.g. tools/bench-timegroup.sh's).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/target/bench-query
mkdir -p "$BUILD"
# a private aggregator builds the sdk and the data source from this tree in one reactor: nothing is taken
# from (or installed into) ~/.m2 for our own modules
cat > "$BUILD/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>bench-query</artifactId><version>1</version><packaging>pom</packaging>
  <modules><module>../../backend/sdk</module><module>../../backend/datasource</module></modules>
</project>
POM
mvn -B -q ${MVN_OFFLINE:+-o} -f "$BUILD/pom.xml" test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
DS=$ROOT/backend/datasource
CP=$DS/target/test-classes:$DS/target/classes:$ROOT/backend/sdk/target/classes
# our own sdk from this tree, never a jar another build left in ~/.m2
CP=$CP:$(tr ':' '\n' < "$DS/target/bench.classpath" | grep -v '/io/opencql/grafana-plugin-sdk/' | paste -sd: -)
exec java -Xmx"${BENCH_HEAP:-256m}" --add-opens=java.base/java.nio=ALL-UNNAMED ${BENCH_JVM_OPTS:-} \
    -cp "$CP" "${BENCH_CLASS:-io.opencql.cql.internal.query.QueryPathBenchmark}" "$@"
