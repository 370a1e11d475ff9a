#!/usr/bin/env bash
# Fails when the working tree is not what was checked out: a build or test run that rewrites a tracked file (a lock
# file, a generated picture) or leaves an untracked, unignored one makes every fresh clone dirty after a build.
# Run it last, after the whole build and test command; exit 1 (listing the files) when dirty, 0 when clean.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dirty=$(git status --porcelain --untracked-files=all)
if [ -n "$dirty" ]; then
  echo "check-clean-tree: the build changed or left these files (git status --porcelain):"
  echo "$dirty" | sed 's/^/  /'
  exit 1
fi
echo "check-clean-tree: the working tree is clean"
