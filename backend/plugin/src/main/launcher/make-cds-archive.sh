#!/usr/bin/env bash
# Build step (-Pbundle-jre only): start the packaged plugin once as Grafana would, stop it, and keep what it loaded
# as lib/app.jsa, which later starts of the bundled runtime map instead of loading:
#   - Java 25 or newer: an ahead-of-time cache (-XX:AOTCacheOutput; classes loaded and linked, method profiles),
#     written by a second JVM that the first one starts as it exits. Before it stops, the plugin is called as
#     Grafana does (io.opencql.plugin.TrainingRun, in the test classes), so that the cache holds a query's classes
#     and profiles and the JIT compiles its hot path at once (docs/performance.md);
#   - Java 17 to 24: a dynamic class-data-sharing archive (-XX:ArchiveClassesAtExit) of the start alone. There are
#     no profiles to record: trained, it made no query faster but the first, and took 17 MiB more resident.
# The launcher tells the two apart by the runtime's version. Either is valid only for the JVM that wrote it.
# The training needs no database: self-tests, the health check, Save & test and a query against a closed port.
# With CQL_TRAIN_HOST=host:port (CQL_TRAIN_USER / CQL_TRAIN_PASSWORD, default cassandra/cassandra) it also queries
# that node's system tables (nothing is written); tools/package.sh (a release) and tools/test.sh train so. With
# CQL_TRAIN_OPTIONAL=1 (tools/test.sh) a failed training is a warning and the archive keeps what was trained: the
# conformance host then fails its check and counts it, instead of a build that stops every suite. Without the test
# classes (-Dmaven.test.skip) it only starts.
# Usage: make-cds-archive.sh DIST_DIR [TRAINING_CLASSES_DIR]
set -euo pipefail
dist=$1
training=${2:-}
# the launcher named for the platform the bundled runtime was built for (describe-runtime.sh), so that it
# picks that runtime: the archive is only valid for the JVM that writes it
platform=linux_amd64
[ -r "$dist/jre/release-platform" ] && read -r platform _ < "$dist/jre/release-platform"
launcher=$dist/gpx_cql_$platform
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$dist/jre/release" | head -1)
record="-XX:ArchiveClassesAtExit=lib/app.jsa"
[ "${major:-0}" -ge 25 ] && record="-XX:AOTCacheOutput=lib/app.jsa"
rm -f "$dist/lib/app.jsa" "$dist/lib/app.jsa.config"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
env -i grafana_plugin_type=datasource GF_PLUGIN_JVM_OPTS="$record" \
  JAVA_HOME="${JAVA_HOME:-}" PATH="${PATH}" "$launcher" > "$out" 2> "$err" &
pid=$!
# bounds for a hang only (a loaded build machine is slow): the handshake, then the archive's writing
for _ in $(seq 1 1200); do [ -s "$out" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if ! grep -q '^1|2|tcp|' "$out"; then
  echo "make-cds-archive: the plugin did not print its handshake:" >&2; cat "$err" >&2; kill -KILL $pid 2>/dev/null || true; exit 1
fi
if [ "${major:-0}" -ge 25 ] && [ -n "$training" ] && [ -f "$training/io/opencql/plugin/TrainingRun.class" ]; then
  port=$(sed -n 's/^1|2|tcp|127\.0\.0\.1:\([0-9]*\)|grpc|.*/\1/p' "$out")
  node=()
  [ -n "${CQL_TRAIN_HOST:-}" ] && node=("$CQL_TRAIN_HOST" "${CQL_TRAIN_USER:-cassandra}" "${CQL_TRAIN_PASSWORD:-cassandra}")
  # a client JVM of its own (the bundled runtime, with no archive options): only the plugin's JVM records
  if ! "$dist/jre/bin/java" -Xshare:auto -cp "$training:$(sed "s#lib/#$dist/lib/#g" "$dist/lib/classpath")" io.opencql.plugin.TrainingRun "$port" "${node[@]}"; then
    if [ "${CQL_TRAIN_OPTIONAL:-}" = 1 ]; then
      echo "make-cds-archive: WARNING: the training run failed (CQL_TRAIN_HOST=${CQL_TRAIN_HOST:-}); the archive keeps what was trained" >&2
    else
      echo "make-cds-archive: the training run failed; the plugin's log:" >&2; cat "$err" >&2; kill -KILL $pid 2>/dev/null || true; exit 1
    fi
  fi
elif [ "${major:-0}" -ge 25 ]; then
  echo "make-cds-archive: no training classes ($training): the archive holds the start-up only" >&2
fi
kill -TERM $pid
wait $pid || true
if [ "${major:-0}" -ge 25 ]; then
  # the exiting JVM hands the recorded configuration to a child JVM that assembles the cache; wait for its word
  for _ in $(seq 1 6000); do grep -q 'AOTCache creation is complete' "$err" && break; sleep 0.1; done
  grep -q 'AOTCache creation is complete' "$err" || { echo "make-cds-archive: the AOT cache was not completed" >&2; cat "$err" >&2; exit 1; }
fi
[ -s "$dist/lib/app.jsa" ] || { echo "make-cds-archive: no archive written" >&2; cat "$err" >&2; exit 1; }
rm -f "$dist/lib/app.jsa.config"
echo "start-up archive (Java ${major:-?}): $(du -h "$dist/lib/app.jsa" | cut -f1)"
