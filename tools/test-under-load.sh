#!/usr/bin/env bash
# Proof that the test command is green on a busy machine: runs CI's command (`bash .ci/run`) in fresh clones of
# this repository's HEAD, N times in a row, while both cores are kept busy by two busy loops and an unrelated
# Maven build (the SDK module compiled from clean, over and over, in a separate copy). Prints, per run, the
# closing line, the exit code, the time and the load average seen (min/mean/max, sampled every 5 s).
#
#   bash tools/test-under-load.sh [RUNS]      (default 1; the issue's proof is 3)
#
# Needs what the test command needs, plus a populated ~/.m2 for the offline burner build (any earlier build).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/cql-under-load.XXXXXX")
# CI clones beside a shared/ folder; the test command does not read it, but keep the layout the same when we can
[ -d "$root/../shared" ] && ln -s "$(cd "$root/../shared" && pwd)" "$work/shared"

pids=()
stop_burners() { for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null; done; pids=(); }
trap 'stop_burners' EXIT INT TERM

start_burners() {
  local i
  for i in 1 2; do setsid bash -c 'while :; do :; done' & pids+=($!); done
  git clone -q "$root" "$work/burner"
  setsid bash -c "cd '$work/burner' && while :; do mvn -B -q -o -Dstyle.color=never -f backend/sdk/pom.xml clean compile >/dev/null 2>&1 || sleep 5; done" &
  pids+=($!)
}

load_sampler() {  # writes one 1-minute load average every 5 s to $1 until killed
  while :; do cut -d' ' -f1 /proc/loadavg >> "$1"; sleep 5; done
}

results=()
start_burners
for n in $(seq 1 "$runs"); do
  clone="$work/run-$n"
  git clone -q "$root" "$clone"
  samples="$work/load-$n.txt"; : > "$samples"
  setsid bash -c "$(declare -f load_sampler); load_sampler '$samples'" & sampler=$!
  t0=$SECONDS
  (cd "$clone" && CI=true bash .ci/run < /dev/null) > "$work/run-$n.log" 2>&1
  rc=$?
  secs=$((SECONDS - t0))
  kill -- -"$sampler" 2>/dev/null || kill "$sampler" 2>/dev/null
  line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$work/run-$n.log" | tail -1)
  load=$(python3 -c 'import sys; v=[float(x) for x in open(sys.argv[1]) if x.strip()]; print(f"load min {min(v):.1f} / mean {sum(v)/len(v):.1f} / max {max(v):.1f} ({len(v)} samples)" if v else "load: no samples")' "$samples")
  dirty=$(git -C "$clone" status --porcelain | wc -l)
  results+=("run $n: ${line:-no summary line}; exit $rc; ${secs}s; $load; files changed in the clone: $dirty; log $work/run-$n.log")
  echo "${results[-1]}"
done
stop_burners
echo "---"
printf '%s\n' "${results[@]}"
