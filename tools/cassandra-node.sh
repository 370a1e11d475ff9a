#!/usr/bin/env bash
# Single-node Apache Cassandra on loopback for the tests, built only from Maven Central jars (no Docker, no tarball).
# Usage: cassandra-node.sh install|start|stop|kill|status|restart|wipe   (kill: SIGKILL, as a crash would)
# Env (all optional):
#   CASS_VERSION=5.0.9          org.apache.cassandra:cassandra-all version (5.0.x: Java 11/17; 4.1.x needs extra
#                               --add-opens in CASS_JVM_OPTS on 17, unsupported; Java 25 fails, 21 untested)
#   CASS_HOME=~/.cache/cass-node/$CASS_VERSION   where lib/ (the jars) goes
#   CASS_DIR=/tmp/cass-node     data, commitlog, logs, yaml, pid
#   CASS_PORT=19042  CASS_STORAGE_PORT=17000  CASS_JMX_PORT= (empty: no JMX/nodetool)
#   CASS_ADDRESS=127.0.0.1      listen and client address (any 127.x works on Linux without set-up)
#   CASS_SEEDS=$CASS_ADDRESS    seed addresses, comma-separated (tools/cassandra-cluster.sh sets these three)
#   CASS_INITIAL_TOKEN=0
#   CASS_HEAP=512m   CASS_AUTH=1 (PasswordAuthenticator+CassandraAuthorizer; 0 = AllowAll)
#   CASS_TLS=0 (1: clients must use TLS and present a client certificate; the node's certificate, for 127.0.0.1
#               and localhost, is signed by a test CA made with keytool on first start: $CASS_DIR/tls/ca.pem is what
#               a client trusts, $CASS_DIR/tls/client.p12 (password cassandra) a client certificate the node accepts)
#   CASS_JVM_OPTS= extra JVM flags   CASS_TIMEOUT=180 (seconds to wait for CQL)   JAVA=java from JAVA_HOME (must be 11 or 17)
set -euo pipefail
CASS_VERSION=${CASS_VERSION:-5.0.9}
CASS_HOME=${CASS_HOME:-$HOME/.cache/cass-node/$CASS_VERSION}
CASS_DIR=${CASS_DIR:-/tmp/cass-node}
CASS_PORT=${CASS_PORT:-19042}
CASS_STORAGE_PORT=${CASS_STORAGE_PORT:-17000}
CASS_JMX_PORT=${CASS_JMX_PORT:-}
CASS_ADDRESS=${CASS_ADDRESS:-127.0.0.1}
CASS_SEEDS=${CASS_SEEDS:-$CASS_ADDRESS}
CASS_INITIAL_TOKEN=${CASS_INITIAL_TOKEN:-0}
CASS_HEAP=${CASS_HEAP:-512m}
CASS_AUTH=${CASS_AUTH:-1}
CASS_TLS=${CASS_TLS:-0}
CASS_TIMEOUT=${CASS_TIMEOUT:-180}
if [ -n "${JAVA_HOME:-}" ]; then JAVA=${JAVA:-$JAVA_HOME/bin/java}; else JAVA=${JAVA:-java}; fi
PIDFILE=$CASS_DIR/cassandra.pid
LOG=$CASS_DIR/logs/system.log

die() { echo "cassandra-node: $*" >&2; exit 1; }
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]; }
# a pid counts only if it is alive (not a zombie) and is *our* node (cmdline names our yaml)
running() { [ -f "$PIDFILE" ] || return 1; local pid; pid=$(cat "$PIDFILE")
  alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$CASS_DIR/cassandra.yaml"; }
port_open() { (exec 3<>"/dev/tcp/$CASS_ADDRESS/$1") 2>/dev/null; }

install() {
  [ -f "$CASS_HOME/lib/cassandra-all-$CASS_VERSION.jar" ] && return 0
  mkdir -p "$CASS_HOME"
  cat > "$CASS_HOME/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>cass-node</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId>
    <version>$CASS_VERSION</version></dependency></dependencies>
</project>
EOF
  # -o works too once ~/.m2 holds the jars
  (cd "$CASS_HOME" && mvn -B -q ${MVN_OFFLINE:+-o} dependency:copy-dependencies \
      -DoutputDirectory=lib.tmp -DincludeScope=runtime) || die "maven could not fetch cassandra-all:$CASS_VERSION"
  rm -rf "$CASS_HOME/lib" && mv "$CASS_HOME/lib.tmp" "$CASS_HOME/lib"
}

# A test CA, a node certificate it signs (SAN: 127.0.0.1, localhost) and a client certificate it signs, once per
# CASS_DIR. The CA's private key never leaves ca.p12; the node trusts truststore.p12 (the CA certificate alone).
make_tls() {
  local d=$CASS_DIR/tls kt
  [ -s "$d/node.p12" ] && [ -s "$d/client.p12" ] && [ -s "$d/truststore.p12" ] && return 0
  kt=$(dirname "$(command -v "$JAVA")")/keytool
  [ -x "$kt" ] || kt=keytool
  rm -rf "$d" && mkdir -p "$d"
  local pw=(-storepass cassandra -keypass cassandra) ks=(-storetype PKCS12 -keyalg RSA -keysize 2048 -validity 3650)
  "$kt" -genkeypair -alias ca -dname "CN=opencql test CA" -ext bc:c "${ks[@]}" -keystore "$d/ca.p12" "${pw[@]}" >/dev/null 2>&1 \
    && "$kt" -exportcert -rfc -alias ca -keystore "$d/ca.p12" -storepass cassandra -file "$d/ca.pem" >/dev/null 2>&1 \
    && "$kt" -genkeypair -alias node -dname "CN=localhost" "${ks[@]}" -keystore "$d/node.p12" "${pw[@]}" >/dev/null 2>&1 \
    && "$kt" -certreq -alias node -keystore "$d/node.p12" -storepass cassandra -file "$d/node.csr" >/dev/null 2>&1 \
    && "$kt" -gencert -alias ca -keystore "$d/ca.p12" -storepass cassandra -infile "$d/node.csr" -outfile "$d/node.pem" -rfc \
         -validity 3650 -ext "san=ip:127.0.0.1,dns:localhost" -ext eku=serverAuth >/dev/null 2>&1 \
    && "$kt" -importcert -noprompt -alias ca -file "$d/ca.pem" -keystore "$d/node.p12" -storepass cassandra >/dev/null 2>&1 \
    && "$kt" -importcert -alias node -file "$d/node.pem" -keystore "$d/node.p12" "${pw[@]}" >/dev/null 2>&1 \
    && "$kt" -importcert -noprompt -alias ca -file "$d/ca.pem" -keystore "$d/truststore.p12" -storetype PKCS12 \
         -storepass cassandra >/dev/null 2>&1 \
    && "$kt" -genkeypair -alias client -dname "CN=grafana" "${ks[@]}" -keystore "$d/client.p12" "${pw[@]}" >/dev/null 2>&1 \
    && "$kt" -certreq -alias client -keystore "$d/client.p12" -storepass cassandra -file "$d/client.csr" >/dev/null 2>&1 \
    && "$kt" -gencert -alias ca -keystore "$d/ca.p12" -storepass cassandra -infile "$d/client.csr" -outfile "$d/client.pem" \
         -rfc -validity 3650 -ext eku=clientAuth >/dev/null 2>&1 \
    && "$kt" -importcert -noprompt -alias ca -file "$d/ca.pem" -keystore "$d/client.p12" -storepass cassandra >/dev/null 2>&1 \
    && "$kt" -importcert -alias client -file "$d/client.pem" -keystore "$d/client.p12" "${pw[@]}" >/dev/null 2>&1 \
    || die "keytool could not make the test TLS material in $d"
}

write_conf() {
  mkdir -p "$CASS_DIR"/{data,commitlog,saved_caches,hints,cdc_raw,logs,triggers}
  local authn=AllowAllAuthenticator authz=AllowAllAuthorizer roles=CassandraRoleManager
  [ "$CASS_AUTH" = 1 ] && { authn=PasswordAuthenticator; authz=CassandraAuthorizer; }
  cat > "$CASS_DIR/cassandra.yaml" <<EOF
cluster_name: local-test
num_tokens: 1
initial_token: $CASS_INITIAL_TOKEN
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories: [$CASS_DIR/data]
commitlog_directory: $CASS_DIR/commitlog
saved_caches_directory: $CASS_DIR/saved_caches
hints_directory: $CASS_DIR/hints
cdc_raw_directory: $CASS_DIR/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 8MiB
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "$(echo "$CASS_SEEDS" | sed "s/\([^,]*\)/\1:$CASS_STORAGE_PORT/g")"
listen_address: $CASS_ADDRESS
rpc_address: $CASS_ADDRESS
storage_port: $CASS_STORAGE_PORT
native_transport_port: $CASS_PORT
start_native_transport: true
endpoint_snitch: SimpleSnitch
authenticator: $authn
authorizer: $authz
role_manager: $roles
auto_snapshot: false
EOF
  if [ "$CASS_TLS" = 1 ]; then
    make_tls
    cat >> "$CASS_DIR/cassandra.yaml" <<EOF
client_encryption_options:
  enabled: true
  optional: false
  keystore: $CASS_DIR/tls/node.p12
  keystore_password: cassandra
  store_type: PKCS12
  truststore: $CASS_DIR/tls/truststore.p12
  truststore_password: cassandra
  require_client_auth: true
EOF
  fi
  cat > "$CASS_DIR/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
}

start() {
  running && { echo "already running (pid $(cat "$PIDFILE"))"; return 0; }
  for _ in $(seq 1 50); do port_open "$CASS_PORT" || break; sleep 0.2; done   # a just-killed node may still hold it
  port_open "$CASS_PORT" && die "port $CASS_PORT already in use by another process"
  install
  write_conf
  local first_boot=0
  [ -z "$(ls -A "$CASS_DIR/data")" ] && first_boot=1
  local jmx=()
  [ -n "$CASS_JMX_PORT" ] && jmx=(-Dcassandra.jmx.local.port="$CASS_JMX_PORT")
  local L=$CASS_HOME/lib jamm
  jamm=$(ls "$L"/jamm-*.jar | head -1)
  : > "$LOG"
  # flags: Cassandra 5.0 conf/jvm17-server.options (JPMS + netty) + test-speed properties
  rm -f "$PIDFILE"
  # setsid: own session, so Ctrl-C / the caller's process group do not reach the node;
  # the inner bash writes its own pid, then execs java (pid stays the same)
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PIDFILE" "$JAVA" -Xms64m -Xmx"$CASS_HEAP" -Xss256k -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -XX:+PerfDisableSharedMem -ea -da:net.openhft... -Djava.net.preferIPv4Stack=true \
    -javaagent:"$jamm" -Djdk.attach.allowAttachSelf=true \
    --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
    --add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED \
    --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED \
    --add-exports=java.sql/java.sql=ALL-UNNAMED --add-exports=java.base/java.lang.ref=ALL-UNNAMED \
    --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED \
    --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
    --add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED \
    --add-opens=java.base/java.lang.module=ALL-UNNAMED --add-opens=java.base/jdk.internal.loader=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.math=ALL-UNNAMED --add-opens=java.base/jdk.internal.module=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED \
    --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true -Dio.netty.allocator.useCacheForAllThreads=true \
    -Dio.netty.allocator.maxOrder=11 \
    -Dcassandra.config="file://$CASS_DIR/cassandra.yaml" -Dlogback.configurationFile="$CASS_DIR/logback.xml" \
    -Dcassandra.storagedir="$CASS_DIR" -Dcassandra.logdir="$CASS_DIR/logs" -Dcassandra.triggers_dir="$CASS_DIR/triggers" \
    -Dcassandra-foreground=yes -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=0 \
    -Dcassandra.superuser_setup_delay_ms=0 -Dcassandra.test.flush_local_schema_changes=false \
    -Dcassandra.unsafesystem=true -Dcassandra.skip_sync=true \
    -Dcassandra.shutdown_announce_in_ms=0 -Dcassandra.test.messagingService.nonGracefulShutdown=true "${jmx[@]}" ${CASS_JVM_OPTS:-} \
    -cp "$L/*" org.apache.cassandra.service.CassandraDaemon >> "$LOG" 2>&1 < /dev/null &
  local t0=$SECONDS
  for _ in $(seq 1 100); do [ -s "$PIDFILE" ] && break; sleep 0.05; done
  while :; do
    running || { tail -40 "$LOG" >&2; rm -f "$PIDFILE"; die "node exited during startup (log: $LOG)"; }
    if grep -q 'Startup complete' "$LOG" && port_open "$CASS_PORT"; then
      # first boot with auth: the default role cassandra/cassandra is created just after startup
      if [ "$CASS_AUTH" != 1 ] || [ $first_boot = 0 ] || grep -q "Created default superuser role" "$LOG"; then break; fi
    fi
    (( SECONDS - t0 > CASS_TIMEOUT )) && { tail -40 "$LOG" >&2; stop; die "no CQL after ${CASS_TIMEOUT}s"; }
    sleep 0.2
  done
  local tls=""
  [ "$CASS_TLS" = 1 ] && tls=" with TLS (CA: $CASS_DIR/tls/ca.pem)"
  echo "cassandra $CASS_VERSION up on $CASS_ADDRESS:$CASS_PORT$tls (pid $(cat "$PIDFILE"), $((SECONDS - t0))s, log $LOG)"
}

stop() {
  running || { rm -f "$PIDFILE"; echo "not running"; return 0; }
  local pid; pid=$(cat "$PIDFILE")
  kill -TERM "$pid"                                 # shutdown hook drains & flushes
  for _ in $(seq 1 300); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && { echo "forcing kill of $pid"; kill -KILL "$pid"; sleep 0.5; }
  rm -f "$PIDFILE"; echo "stopped"
}

# SIGKILL, as a crash or the OOM killer would: no drain, no flush
crash() {
  running || { rm -f "$PIDFILE"; echo "not running"; return 0; }
  local pid; pid=$(cat "$PIDFILE")
  kill -KILL "$pid"
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
  rm -f "$PIDFILE"; echo "killed $pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  kill) crash ;;
  restart) stop; start ;;
  status) if running; then echo "running pid $(cat "$PIDFILE")"; else echo "stopped"; exit 3; fi ;;
  wipe) stop; rm -rf "$CASS_DIR" ;;
  *) echo "usage: $0 install|start|stop|kill|restart|status|wipe" >&2; exit 2 ;;
esac
