#!/usr/bin/env bash
# Benchmark of time grouping on the node vs in the plugin (io.opencql.cql.internal.query.TimeGroupBenchmark): a 24 h range of
# 1-second readings of 10 series in 1-minute buckets; time min/median/max, rows and bytes the node sends, load average.
# Usage: tools/bench-timegroup.sh [runs=5] [warmup=2] [pageSize=5000]
# Env: as tools/bench-query.sh (CQL_TEST_HOST, default 127.0.0.1:19042; BENCH_HEAP; MVN_OFFLINE=1).
set -euo pipefail
BENCH_CLASS=io.opencql.cql.internal.query.TimeGroupBenchmark exec "$(dirname "$0")/bench-query.sh" "$@"
