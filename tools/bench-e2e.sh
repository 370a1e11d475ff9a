#!/usr/bin/env bash
# End-to-end benchmark, as Grafana sees the plugin (conformance/bench): the packaged launcher started through
# go-plugin with the SDK's plugin set, QueryData over gRPC decoded by grafana-plugin-sdk-go, interleaved with the
# bare java-driver (io.opencql.cql.bench.BareDriver) on the same node and the same queries: selftest round trip,
# one 100-row query, 20 concurrent panels, 1,000,000 rows as a table and as a time series, exec → handshake (and
# a JVM hello-world with the launcher's flags), resident memory. Prints min/median/max, p50/p99, ratios and the
# load average. It seeds bench.m1 (1,000,000 rows) on first use; a rerun reuses it.
# Usage: tools/bench-e2e.sh [flags of conformance/bench: -rounds 50 -big 5 -small 200 -starts 10 -skip-big ...]
# Env: CQL_TEST_HOST (default 127.0.0.1:19042; start a node with tools/cassandra-node.sh start),
#      CQL_TEST_USER / CQL_TEST_PASSWORD (default cassandra/cassandra), PLUGIN_DIST (default dist/),
#      MVN_OFFLINE=1 (build with mvn -o), BENCH_BUILD=0 (use dist/ and the classes as they are),
#      BENCH_BUNDLE_JRE=1 (build the package with its bundled runtime, -Pbundle-jre; its start-up archive is
#      trained on the bench's node, as a release's is on a throwaway one (tools/package.sh); CQL_TRAIN_HOST names
#      another node, CQL_TRAIN_HOST= (empty) trains without one; make-cds-archive.sh),
#      GF_PLUGIN_MAX_RESPONSE_MB (default 64 here, so the 1M-row answer fits; the plugin's own default is 32).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DS=$ROOT/backend/datasource
if [ "${BENCH_BUILD:-1}" = 1 ]; then
  # one reactor: the packaged plugin (dist/), and the data source's test classes with their class path
  CQL_TRAIN_HOST=${CQL_TRAIN_HOST-${CQL_TEST_HOST:-127.0.0.1:19042}} CQL_TRAIN_USER=${CQL_TRAIN_USER:-${CQL_TEST_USER:-cassandra}} \
    CQL_TRAIN_PASSWORD=${CQL_TRAIN_PASSWORD:-${CQL_TEST_PASSWORD:-cassandra}} \
    mvn -B -q ${MVN_OFFLINE:+-o} -pl backend/plugin -am package -DskipTests ${BENCH_BUNDLE_JRE:+-Pbundle-jre} \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
fi
[ -f "$DS/target/bench.classpath" ] || { echo "bench-e2e: $DS/target/bench.classpath missing: run once without BENCH_BUILD=0" >&2; exit 2; }
CP=$DS/target/test-classes:$DS/target/classes:$ROOT/backend/sdk/target/classes
# our own sdk from this tree, never a jar another build left in ~/.m2
CP=$CP:$(tr ':' '\n' < "$DS/target/bench.classpath" | grep -v '/io/opencql/grafana-plugin-sdk/' | paste -sd: -)
export CQL_TEST_HOST=${CQL_TEST_HOST:-127.0.0.1:19042}
# the 1,000,000-row answer (text, timestamp, double) is about 34 MB: above the default byte budget of one answer
# (max_response_mb = 32), which would cut it at ~935,000 rows with a notice; the bench sets grafana.ini's knob
export GF_PLUGIN_MAX_RESPONSE_MB=${GF_PLUGIN_MAX_RESPONSE_MB:-64}
cd "$ROOT/conformance"
exec go run ./bench -dist "${PLUGIN_DIST:-$ROOT/dist}" -driver-cp "$CP" -hello-cp "$DS/target/test-classes" "$@"
