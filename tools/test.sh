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

# The resilience tests' own nodes (a 3-node cluster on 127.0.0.1-3 and a lone node on 127.0.0.4, port 19442) are
# stopped here too: a Maven run that is cut short skips the tests' own clean-up
stop_node() {
  bash tools/cassandra-node.sh stop >/dev/null 2>&1 || true; tls_node stop >/dev/null 2>&1 || true
  bash tools/cassandra-cluster.sh stop >/dev/null 2>&1 || true
  CASS_ADDRESS=127.0.0.4 CASS_PORT=19442 CASS_STORAGE_PORT=17400 CASS_DIR="$root/target/cass-crash" \
    bash tools/cassandra-node.sh stop >/dev/null 2>&1 || true
}
trap stop_node EXIT INT TERM
mkdir -p target
# the build must leave the tree as it found it (a fresh clone stays clean); checked after the build
git status --porcelain --untracked-files=all > target/tree-before.txt 2>/dev/null || : > target/tree-before.txt
# reports of an earlier run must not be counted for this one
find . -path ./frontend/node_modules -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) \
  -path '*/target/*' -print0 | xargs -0 rm -rf
# a step of this command counted as one test case (target/surefire-reports/TEST-harness-NAME.xml)
harness_case() {  # name, command...
  local name=$1; shift
  python3 tools/run-suite.py --name "$name" --report "target/surefire-reports/TEST-harness-$name.xml" \
    --ignore-failure true -- "$@"
}
if [ -z "${CQL_TEST_EXTERNAL:-}" ]; then
  export CQL_TEST_TLS_HOST=127.0.0.1:19142 CQL_TEST_TLS_CA=$root/target/cass-tls/tls/ca.pem
  # A node that cannot be had is one counted failure (its start-up as a test case, with its log); the real-node
  # tests then fail naming the node they could not reach, and every other suite still runs and is counted.
  harness_case cassandra-install bash tools/cassandra-node.sh install
  # the cluster takes minutes to form: it forms behind the build; the resilience tests wait for it (the script's
  # lock) and start it themselves if this did not
  bash tools/cassandra-cluster.sh start > target/cass-cluster-start.log 2>&1 &
  tls_node start > target/cass-tls-start.log 2>&1 &
  tls_pid=$!
  harness_case cassandra-node bash tools/cassandra-node.sh start
  wait "$tls_pid"; tls_rc=$?
  harness_case cassandra-tls-node bash -c 'cat target/cass-tls-start.log; exit "$1"' _ "$tls_rc"
fi

# The package's start-up archive is trained on the test node too (read only: its system tables), as a release's is
# (tools/package.sh), so the conformance host tests what ships. Unset if the node is not up; CQL_TRAIN_HOST= (empty)
# trains without a node.
if [ -z "${CQL_TRAIN_HOST+x}" ] && (exec 3<>"/dev/tcp/${CQL_TEST_HOST%:*}/${CQL_TEST_HOST##*:}") 2>/dev/null; then
  export CQL_TRAIN_HOST=$CQL_TEST_HOST CQL_TRAIN_USER=$CQL_TEST_USER CQL_TRAIN_PASSWORD=$CQL_TEST_PASSWORD CQL_TRAIN_OPTIONAL=1
fi

# maven.test.failure.ignore: a failing test or suite is counted from its report and never stops the build, so the
# package is always built and every later suite (the conformance host above all) still runs. Only a build that
# cannot compile or package fails Maven itself, and then the summary names each suite that left no report.
mvn -B -fae -ntp -Dstyle.color=never -Dmaven.test.failure.ignore=true verify -Pbundle-jre "$@"
mvn_rc=$?
[ $mvn_rc -eq 0 ] || echo "test.sh: Maven failed (exit $mvn_rc): a module did not build; see above" >&2

harness_case clean-tree bash tools/check-clean-tree.sh target/tree-before.txt

# with no arguments every suite must have reported; with arguments (a subset) only what ran is summed
if [ $# -eq 0 ]; then expect=--expect-all; else expect=; fi
python3 tools/test-summary.py "$root" $expect
sum_rc=$?
if [ $mvn_rc -ne 0 ] || [ $sum_rc -ne 0 ]; then exit 1; fi
