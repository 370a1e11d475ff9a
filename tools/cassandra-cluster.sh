#!/usr/bin/env bash
# A 3-node Apache Cassandra cluster on loopback (127.0.0.1, 127.0.0.2, 127.0.0.3, same ports on each) for the
# resilience tests, made of tools/cassandra-node.sh nodes (same Maven Central jars, no Docker).
# Usage: cassandra-cluster.sh start|stop|status|wipe          the whole cluster
#        cassandra-cluster.sh start N|stop N|kill N|restart N  node N (1..3); kill = SIGKILL, as a crash would
#        cassandra-cluster.sh contact-points                   prints "127.0.0.1:PORT,127.0.0.2:PORT,..."
# Env (all optional):
#   CASS_CLUSTER_DIR=<repo>/target/cass-cluster  node N's data in $CASS_CLUSTER_DIR/nN
#   CASS_CLUSTER_PORT=19442 CASS_CLUSTER_STORAGE_PORT=17400  CQL and storage port, the same on every address
#   CASS_CLUSTER_HEAP=384m  CASS_CLUSTER_AUTH=0 (1: PasswordAuthenticator; logins then read system_auth, which
#                                               needs QUORUM for the superuser: "one node left" tests fail)
#   CASS_CLUSTER_SIZE=3     CASS_TIMEOUT (seconds a node may take to start; default 300 here)
# Why these flags:
# - node 1 is the only seed; the others join with -Dcassandra.ring_delay_ms=15000 (0 fails with "Unable to gossip
#   with any peers") and -Dcassandra.auto_bootstrap=false (an empty cluster has nothing to stream, which spares
#   the bootstrap's ring-delay sleeps and lets nodes 2 and 3 join at once).
# - durable schema (-Dcassandra.unsafesystem=false -Dcassandra.test.flush_local_schema_changes=true): the tests
#   SIGKILL nodes, and with the single node's speed flags a killed node forgets schema created since its start.
# - tokens spread evenly (num_tokens 1), so with RF=3 every node holds every row and with RF=1 each a third.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CASS_CLUSTER_DIR=${CASS_CLUSTER_DIR:-$(dirname "$here")/target/cass-cluster}
CASS_CLUSTER_PORT=${CASS_CLUSTER_PORT:-19442}
CASS_CLUSTER_STORAGE_PORT=${CASS_CLUSTER_STORAGE_PORT:-17400}
CASS_CLUSTER_HEAP=${CASS_CLUSTER_HEAP:-384m}
CASS_CLUSTER_AUTH=${CASS_CLUSTER_AUTH:-0}
CASS_CLUSTER_SIZE=${CASS_CLUSTER_SIZE:-3}
export CASS_TIMEOUT=${CASS_TIMEOUT:-300}

die() { echo "cassandra-cluster: $*" >&2; exit 1; }

token() { # evenly spread Murmur3 tokens: -2^63 + i * 2^64 / size
  python3 -c "import sys; n=int(sys.argv[1]); i=int(sys.argv[2]); print(-2**63 + i * (2**64 // n))" "$CASS_CLUSTER_SIZE" "$(($1 - 1))"
}

node() { # node N, then cassandra-node.sh's arguments
  local n=$1; shift
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= CASS_CLUSTER_SIZE )) || die "no node $n (1..$CASS_CLUSTER_SIZE)"
  local opts="-Dcassandra.unsafesystem=false -Dcassandra.test.flush_local_schema_changes=true"
  (( n > 1 )) && opts="$opts -Dcassandra.ring_delay_ms=15000 -Dcassandra.auto_bootstrap=false"
  CASS_ADDRESS=127.0.0.$n CASS_SEEDS=127.0.0.1 CASS_INITIAL_TOKEN=$(token "$n") \
    CASS_DIR=$CASS_CLUSTER_DIR/n$n CASS_PORT=$CASS_CLUSTER_PORT CASS_STORAGE_PORT=$CASS_CLUSTER_STORAGE_PORT \
    CASS_HEAP=$CASS_CLUSTER_HEAP CASS_AUTH=$CASS_CLUSTER_AUTH CASS_TLS=0 \
    CASS_JVM_OPTS="$opts ${CASS_JVM_OPTS:-}" bash "$here/cassandra-node.sh" "$@" 9>&-  # the node must not inherit the lock
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.$1/$CASS_CLUSTER_PORT") 2>/dev/null; }

up_count() { # how many other nodes node N's gossip has seen come UP since its last start
  grep -o "/127\.0\.0\.[0-9]*:$CASS_CLUSTER_STORAGE_PORT is now UP" "$CASS_CLUSTER_DIR/n$1/logs/system.log" 2>/dev/null \
    | sort -u | wc -l
}

# every node answers CQL and has seen every other come up: a query at any consistency can reach all replicas
wait_formed() {
  local t0=$SECONDS n
  while :; do
    local ok=1
    for n in $(seq 1 "$CASS_CLUSTER_SIZE"); do
      port_open "$n" && (( $(up_count "$n") >= CASS_CLUSTER_SIZE - 1 )) || ok=0
    done
    (( ok )) && return 0
    (( SECONDS - t0 > CASS_TIMEOUT )) && die "the nodes did not all see each other within ${CASS_TIMEOUT}s"
    sleep 0.5
  done
}

start_all() {
  local t0=$SECONDS n pids=() rc=0
  node 1 start
  for n in $(seq 2 "$CASS_CLUSTER_SIZE"); do
    node "$n" start > "$CASS_CLUSTER_DIR/start-n$n.log" 2>&1 &
    pids+=($!)
  done
  for n in "${!pids[@]}"; do
    wait "${pids[$n]}" || rc=1
    cat "$CASS_CLUSTER_DIR/start-n$((n + 2)).log"
  done
  (( rc == 0 )) || die "a node did not start (logs under $CASS_CLUSTER_DIR/n*/logs)"
  wait_formed
  echo "cluster of $CASS_CLUSTER_SIZE up in $((SECONDS - t0))s: $(contact_points)"
}

contact_points() {
  local n out=""
  for n in $(seq 1 "$CASS_CLUSTER_SIZE"); do out="$out${out:+,}127.0.0.$n:$CASS_CLUSTER_PORT"; done
  echo "$out"
}

mkdir -p "$CASS_CLUSTER_DIR"
# one command at a time: tools/test.sh may start the cluster in the background while a test asks for it
case "${1:-}" in start|stop|kill|restart|wipe) exec 9>"$CASS_CLUSTER_DIR/.lock"; flock 9 ;; esac
case "${1:-}:${2:-}" in
  start:) start_all ;;
  stop:) for n in $(seq "$CASS_CLUSTER_SIZE" -1 1); do node "$n" stop; done ;;
  status:) rc=0; for n in $(seq 1 "$CASS_CLUSTER_SIZE"); do s=$(node "$n" status) || rc=3; echo "node $n: $s"; done; exit $rc ;;
  wipe:) for n in $(seq 1 "$CASS_CLUSTER_SIZE"); do node "$n" stop; done; rm -rf "$CASS_CLUSTER_DIR" ;;
  contact-points:) contact_points ;;
  start:*|stop:*|kill:*|status:*) node "$2" "$1" ;;
  restart:*) node "$2" stop; node "$2" start ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
