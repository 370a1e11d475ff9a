#!/usr/bin/env bash
# Build step (-Pbundle-jre only): jlink the runtime bundled in DIST/jre. Which JDK it is made from:
#   1. $BUNDLE_JDK when set (a JDK home with bin/jlink, Java 17 or newer);
#   2. else a JDK 25 or newer found in the usual folders (/usr/lib/jvm/*, /opt/java/openjdk): Java 25's
#      ahead-of-time cache (JEP 483/514/515: classes loaded and linked, and method profiles, from a training start)
#      about halves the plugin's start over Java 17's class-data sharing (docs/performance.md);
#   3. else the JDK running the build (BUILD_JDK).
# The jars are Java 17 class files either way, and the plain package (no runtime) still runs on a user's Java 17.
# Usage: make-runtime.sh DIST_DIR MODULES BUILD_JDK
set -euo pipefail
dist=$1 modules=$2 build_jdk=$3

major() {  # the feature release of the JDK at $1, from its release file
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1
}

jdk=
if [ -n "${BUNDLE_JDK:-}" ]; then
  jdk=$BUNDLE_JDK
else
  best=0
  for home in /usr/lib/jvm/* /opt/java/openjdk; do
    [ -x "$home/bin/jlink" ] || continue
    m=$(major "$home"); [ -n "$m" ] || continue
    if [ "$m" -ge 25 ] && [ "$m" -gt "$best" ]; then best=$m jdk=$home; fi
  done
  [ -n "$jdk" ] || jdk=$build_jdk
fi
m=$(major "$jdk")
[ -x "$jdk/bin/jlink" ] && [ -n "$m" ] && [ "$m" -ge 17 ] || { echo "make-runtime: $jdk is not a JDK 17 or newer with jlink" >&2; exit 1; }
# --compress=2 is the old spelling of zip-6, which jlink 21+ warns about
compress=2
[ "$m" -ge 21 ] && compress=zip-6
rm -rf "$dist/jre"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=$compress \
  --generate-cds-archive --output "$dist/jre"
echo "bundled runtime: Java $m from $jdk"
