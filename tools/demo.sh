#!/usr/bin/env bash
# The demo without Docker: a local Apache Cassandra node (tools/cassandra-node.sh: the same Maven Central jars the
# tests use), the demo keyspace from backend/demo-seed, and, when a Grafana server is installed (`grafana` on
# PATH, or GRAFANA_HOME), that Grafana on http://localhost:3000 with the freshly built plugin and the project's
# provisioning/ in a throw-away home under target/. No Grafana found: one line says so, the node keeps running,
# and the data source settings to paste into an existing Grafana are printed.
#
# Usage: bash tools/demo.sh            build if needed, start the node, seed, run Grafana (Ctrl-C stops it)
#        bash tools/demo.sh --no-grafana   stop after seeding (what CI runs)
#        bash tools/demo.sh --stop         stop the node (and the live writer) it started
# Env:   CASS_PORT (19042), CASS_STORAGE_PORT (17000), CASS_DIR (target/cass-node): the node, as for the tests;
#        CQL_USERNAME / CQL_PASSWORD (cassandra); GRAFANA_HOME (the folder holding bin/grafana and conf/);
#        GRAFANA_PORT (3000); DEMO_HOURS (6) and the seeder's other DEMO_* variables.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

export CASS_PORT=${CASS_PORT:-19042}
export CASS_STORAGE_PORT=${CASS_STORAGE_PORT:-17000}
export CASS_DIR=${CASS_DIR:-$root/target/cass-node}
CQL_USERNAME=${CQL_USERNAME:-cassandra}
CQL_PASSWORD=${CQL_PASSWORD:-cassandra}
GRAFANA_PORT=${GRAFANA_PORT:-3000}
id=opencql-cql-datasource
follow_pid=$CASS_DIR/demo-follow.pid

say() { echo "demo: $*"; }

mode=grafana
case "${1:-}" in
  "") ;;
  --no-grafana) mode=seed-only ;;
  --stop)
    if [ -f "$follow_pid" ]; then kill "$(cat "$follow_pid")" 2>/dev/null || true; rm -f "$follow_pid"; fi
    exec bash tools/cassandra-node.sh stop ;;
  -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "demo: unknown option $1 (--no-grafana, --stop, --help)" >&2; exit 2 ;;
esac

# 1. the plugin and the seeder, from this checkout
seed_jar=$(ls backend/demo-seed/target/demo-seed-*-all.jar 2>/dev/null | head -1 || true)
if [ ! -f dist/plugin.json ] || [ ! -f dist/lib/classpath ] || [ -z "$seed_jar" ]; then
  say "building the plugin and the seeder (mvn package -DskipTests; a few minutes the first time)"
  mvn -B -q -ntp -DskipTests package
  seed_jar=$(ls backend/demo-seed/target/demo-seed-*-all.jar | head -1)
fi

# 2. the node
bash tools/cassandra-node.sh install
bash tools/cassandra-node.sh start

# 3. the demo keyspace: 6 hours of readings, events, every CQL type; then a live writer for the Live panel
export CQL_CONTACT_POINTS=127.0.0.1:$CASS_PORT CQL_USERNAME CQL_PASSWORD
say "seeding keyspace demo on 127.0.0.1:$CASS_PORT"
java -XX:+UseSerialGC -Xmx256m -jar "$seed_jar"

if [ "$mode" = seed-only ]; then
  say "seeded; node left running on 127.0.0.1:$CASS_PORT (stop: bash tools/demo.sh --stop)"
  exit 0
fi

if [ -f "$follow_pid" ] && kill -0 "$(cat "$follow_pid")" 2>/dev/null; then
  say "live writer already running (pid $(cat "$follow_pid"))"
else
  DEMO_HOURS=0 nohup java -XX:+UseSerialGC -Xmx128m -jar "$seed_jar" --follow > "$CASS_DIR/demo-follow.log" 2>&1 &
  echo $! > "$follow_pid"
  say "live writer started (pid $!, log $CASS_DIR/demo-follow.log): one reading per sensor every 5 s"
fi

# 4. Grafana, if there is one
grafana_bin=
if [ -n "${GRAFANA_HOME:-}" ] && [ -x "$GRAFANA_HOME/bin/grafana" ]; then
  grafana_bin=$GRAFANA_HOME/bin/grafana
elif command -v grafana >/dev/null 2>&1; then
  grafana_bin=$(command -v grafana)
fi
if [ -z "$grafana_bin" ]; then
  echo "demo: no Grafana server found (neither grafana on PATH nor GRAFANA_HOME/bin/grafana); the node keeps running for your own Grafana:"
  cat <<EOF
  install the plugin:  unzip backend/plugin/target/$id-*.zip into Grafana's plugins folder and set
                       [plugins] allow_loading_unsigned_plugins = $id   (then restart Grafana)
  data source:         Connections > Data sources > Add > CQL (ScyllaDB / Cassandra)
    Contact points     127.0.0.1:$CASS_PORT
    Keyspace           demo
    User / password    $CQL_USERNAME / $CQL_PASSWORD
  or provision it:     CQL_CONTACT_POINTS=127.0.0.1 CQL_PORT=$CASS_PORT CQL_USERNAME=$CQL_USERNAME CQL_PASSWORD=... in
                       Grafana's environment, and copy provisioning/ into Grafana's provisioning folder
  stop the node:       bash tools/demo.sh --stop
EOF
  exit 0
fi
if [ -z "${GRAFANA_HOME:-}" ]; then
  # a package install keeps conf/ and public/ under /usr/share/grafana; a tarball next to bin/
  GRAFANA_HOME=$(cd "$(dirname "$(readlink -f "$grafana_bin")")/.." && pwd)
  [ -d "$GRAFANA_HOME/conf" ] || GRAFANA_HOME=/usr/share/grafana
fi

home=$root/target/grafana-demo
rm -rf "$home" && mkdir -p "$home/plugins" "$home/data" "$home/logs"
ln -s "$root/dist" "$home/plugins/$id"            # the freshly built plugin, as Grafana loads it from a folder
cp -R provisioning "$home/provisioning"
# the provider's path is the compose mount point; here it is this home's copy
sed -i "s#/etc/grafana/provisioning#$home/provisioning#" "$home/provisioning/dashboards/dashboards.yaml"

say "Grafana $grafana_bin (home $GRAFANA_HOME) on http://localhost:$GRAFANA_PORT, data in $home; Ctrl-C stops it"
export GF_PATHS_DATA=$home/data GF_PATHS_LOGS=$home/logs GF_PATHS_PLUGINS=$home/plugins
export GF_PATHS_PROVISIONING=$home/provisioning GF_SERVER_HTTP_PORT=$GRAFANA_PORT
export GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=$id   # this plugin only
export GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Admin GF_AUTH_DISABLE_LOGIN_FORM=true
export GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=$home/provisioning/dashboards/cql-demo.json
export CQL_CONTACT_POINTS=127.0.0.1 CQL_PORT=$CASS_PORT     # read by provisioning/datasources/datasource.yaml
exec "$grafana_bin" server --homepath "$GRAFANA_HOME"
