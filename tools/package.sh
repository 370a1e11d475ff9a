#!/usr/bin/env bash
# The release build: both packages in backend/plugin/target/ (README, "Packages"), with the -jre package's start-up
# archive trained on a real node: 1,200 queries on its system tables (read only), which makes a query about a
# quarter faster in the plugin's first minutes than the training without a node (docs/performance.md).
# The node is a throwaway local Apache Cassandra (tools/cassandra-node.sh, from Maven Central jars) on ports and in
# a folder of its own, stopped afterwards; CQL_TRAIN_HOST=host:port (CQL_TRAIN_USER, CQL_TRAIN_PASSWORD) trains on
# a node of yours instead. Arguments go to Maven (e.g. -o).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ -z "${CQL_TRAIN_HOST:-}" ]; then
  export CASS_PORT=${CASS_PORT:-19642} CASS_STORAGE_PORT=${CASS_STORAGE_PORT:-17600} CASS_DIR=${CASS_DIR:-$root/target/cass-train}
  trap 'bash tools/cassandra-node.sh stop >/dev/null 2>&1 || true' EXIT
  bash tools/cassandra-node.sh start
  export CQL_TRAIN_HOST=127.0.0.1:$CASS_PORT
fi
mvn -B -ntp package -DskipTests -Pbundle-jre "$@"
ls -l backend/plugin/target/opencql-cql-datasource-*.zip
