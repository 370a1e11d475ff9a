#!/usr/bin/env bash
# Build step: write DIST/jre/release-platform, which the launcher reads to tell whether the bundled runtime can
# run on the host it finds itself on: "<os>_<arch> <libc> <program interpreter>", e.g.
# "linux_amd64 glibc /lib64/ld-linux-x86-64.so.2". jlink copies the build JDK, so these are the build host's.
# Usage: describe-runtime.sh DIST_DIR
set -euo pipefail
dist=$1
java=$dist/jre/bin/java
[ -x "$java" ] || { echo "describe-runtime: no $java" >&2; exit 1; }
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
libc=- loader=-
if [ "$os" = linux ]; then
  libc=glibc
  if grep -q 'ld-musl-' /proc/$$/maps 2>/dev/null; then libc=musl; fi   # a text file: no -a, which busybox lacks
  # the ELF program interpreter is the first absolute loader path in the binary (PT_INTERP comes early)
  loader=$(grep -aom1 '/lib[[:alnum:]/_.-]*/ld-[[:alnum:]_.-]*\.so\.[0-9]*' "$java" 2>/dev/null | head -1 || true)
  [ -n "$loader" ] || loader=-
fi
echo "${os}_${arch} $libc $loader" > "$dist/jre/release-platform"
echo "bundled runtime: $(cat "$dist/jre/release-platform")"
