#!/usr/bin/env bash
# Fails when the build changed the working tree: a build or test run that rewrites a tracked file (a lock file, a
# generated picture) or leaves an untracked, unignored one makes every fresh clone dirty after a build.
#   check-clean-tree.sh             the tree must be clean (as a fresh clone is)
#   check-clean-tree.sh BEFORE      the tree must be as BEFORE recorded it (`git status --porcelain
#                                   --untracked-files=all` taken before the build), so a developer's own
#                                   uncommitted changes are not counted
# Exit 1 (listing the files) when the build changed something, 0 otherwise.
set -uo pipefail
before=${1:-/dev/null}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
changed=$(git status --porcelain --untracked-files=all | diff "$before" - | sed -n 's/^> //p')
if [ -n "$changed" ]; then
  echo "check-clean-tree: the build changed or left these files (git status --porcelain):"
  echo "$changed" | sed 's/^/  /'
  exit 1
fi
echo "check-clean-tree: the build left the working tree as it found it"
