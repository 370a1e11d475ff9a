#!/usr/bin/env bash
# The project's test command (README: "run every test"). On a fresh machine it installs what the suites need
# (Chromium from Debian for the browser check, when run as root), starts a local Apache Cassandra 5.0.9 node
# on 127.0.0.1:19042 from Maven Central jars, runs the whole Maven build (backend unit tests, real-node
# integration tests, frontend typecheck/lint/unit tests/build/browser check, packaging, conformance host
# against the packaged plugin), stops the node, and ends with one line: "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

export CASS_PORT=${CASS_PORT:-19042}
export CASS_STORAGE_PORT=${CASS_STORAGE_PORT:-17000}
export CASS_DIR=${CASS_DIR:-$root/target/cass-node}
export CQL_TEST_HOST=${CQL_TEST_HOST:-127.0.0.1:$CASS_PORT}
export CQL_TEST_USER=${CQL_TEST_USER:-cassandra} CQL_TEST_PASSWORD=${CQL_TEST_PASSWORD:-cassandra}

need() { command -v "$1" >/dev/null 2>&1 || { echo "test.sh: '$1' is required ($2)" >&2; exit 2; }; }
need java "Java 17"; need mvn "Maven 3.8+"; need npm "Node 20 + npm"; need go "Go, for the conformance host"; need python3 "for the summary"

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing Debian's chromium for the browser check"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "test.sh: could not install chromium; the browser check will fail and say why" >&2
  else
    echo "test.sh: chromium is missing (apt-get install -y chromium); the browser check will fail" >&2
  fi
fi

# A second node that requires TLS (certificate for 127.0.0.1/localhost from a test CA) for TlsIT; with
# CQL_TEST_EXTERNAL, TlsIT runs only when CQL_TEST_TLS_HOST and CQL_TEST_TLS_CA name such a node
tls_node() { CASS_TLS=1 CASS_DIR="$root/target/cass-tls" CASS_PORT=19142 CASS_STORAGE_PORT=17100 bash tools/cassandra-node.sh "$@"; }

stop_node() { bash tools/cassandra-node.sh stop >/dev/null 2>&1 || true; tls_node stop >/dev/null 2>&1 || true; }
trap stop_node EXIT INT TERM
mkdir -p target
if [ -z "${CQL_TEST_EXTERNAL:-}" ]; then
  export CQL_TEST_TLS_HOST=127.0.0.1:19142 CQL_TEST_TLS_CA=$root/target/cass-tls/tls/ca.pem
  bash tools/cassandra-node.sh install || { echo "test.sh: could not fetch Cassandra from Maven Central" >&2; echo "0 passed, 1 failed"; exit 1; }
  tls_node start > target/cass-tls-start.log 2>&1 &
  tls_pid=$!
  bash tools/cassandra-node.sh start || { echo "test.sh: the Cassandra test node did not start" >&2; echo "0 passed, 1 failed"; exit 1; }
  # without it TlsIT fails (it names the node it could not reach); every other suite still runs
  wait "$tls_pid" || echo "test.sh: the TLS test node did not start: $(tail -3 target/cass-tls-start.log)" >&2
  cat target/cass-tls-start.log
fi

mvn -B -fae -ntp -Dstyle.color=never verify -Pbundle-jre "$@"
mvn_rc=$?

python3 tools/test-summary.py "$root"
sum_rc=$?
if [ $mvn_rc -ne 0 ] || [ $sum_rc -ne 0 ]; then exit 1; fi
