#!/usr/bin/env bash
# Build step (-Pbundle-jre only): start the packaged plugin once as Grafana would, let it reach the handshake, stop it, and keep
# the class list it loaded as a CDS archive (lib/app.jsa) that later starts map instead of loading classes.
# Usage: make-cds-archive.sh DIST_DIR
set -euo pipefail
dist=$1
# the launcher named for the platform the bundled runtime was built for (describe-runtime.sh), so that it
# picks that runtime: the archive is only valid for the JVM that writes it
platform=linux_amd64
[ -r "$dist/jre/release-platform" ] && read -r platform _ < "$dist/jre/release-platform"
launcher=$dist/gpx_cql_$platform
rm -f "$dist/lib/app.jsa"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
env -i grafana_plugin_type=datasource GF_PLUGIN_JVM_OPTS="-XX:ArchiveClassesAtExit=lib/app.jsa" \
  JAVA_HOME="${JAVA_HOME:-}" PATH="${PATH}" "$launcher" > "$out" 2> "$err" &
pid=$!
for _ in $(seq 1 300); do [ -s "$out" ] && break; sleep 0.1; done
if ! grep -q '^1|2|tcp|' "$out"; then
  echo "make-cds-archive: the plugin did not print its handshake:" >&2; cat "$err" >&2; kill -KILL $pid 2>/dev/null || true; exit 1
fi
kill -TERM $pid
wait $pid || true
[ -s "$dist/lib/app.jsa" ] || { echo "make-cds-archive: no archive written" >&2; cat "$err" >&2; exit 1; }
echo "CDS archive: $(du -h "$dist/lib/app.jsa" | cut -f1)"
