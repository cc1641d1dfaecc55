#!/usr/bin/env bash
# Full rescan of an unchanged 100,000-file tree: median seconds of $RUNS (default 5) rescans and the peak RSS
# of the process (VmHWM, which includes the untimed initial scan). Targets: <= 2 s and <= 150 MB. See bench/README.md.
#   BENCH_DIR (default /tmp/lockstep-bench)   RUNS (default 5)   RESCAN_DIRS x RESCAN_PER_DIR files of RESCAN_SIZE bytes
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
RESCAN_DIRS=${RESCAN_DIRS:-1000}
RESCAN_PER_DIR=${RESCAN_PER_DIR:-100}
RESCAN_SIZE=${RESCAN_SIZE:-100}
TARGET_S=2
TARGET_MB=150

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    local files=$((RESCAN_DIRS * RESCAN_PER_DIR))
    local tree="$BENCH_DIR/trees/rescan-$((files / 1000))k"
    gen_small_tree "$tree" "$RESCAN_DIRS" "$RESCAN_PER_DIR" "$RESCAN_SIZE"
    echo "Lockstep rescan benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src')"
    echo "tree: $tree, $RESCAN_DIRS dirs x $RESCAN_PER_DIR files x $RESCAN_SIZE bytes ($files files)"
    load_warning
    contention_start
    local log="$RESULTS_DIR/rescan-lockstep.log"
    "$BENCH_BIN" rescan --dir "$tree" --runs "$RUNS" >"$log" 2>&1 || { cat "$log" >&2; die "Lockstep rescan failed"; }
    sed 's/^/  /' "$log" | grep -v '^  RESULT'
    local med hwm runs_s problems
    med=$(result_field median_s "$log")
    hwm=$(result_field peak_rss_mb "$log")
    runs_s=$(result_field runs_s "$log")
    problems=$(result_field problems "$log")
    ((problems == 0)) || echo "WARNING: $problems scan problems (see $log)"
    echo
    printf '%-40s %12s %12s %8s\n' "rescan, $files unchanged files" "measured" "target" ""
    printf '%-40s %12.3f %12s %8s\n' "median seconds (of $RUNS)" "$med" "<= $TARGET_S" "$(awk "BEGIN { print ($med <= $TARGET_S) ? \"PASS\" : \"FAIL\" }")"
    printf '%-40s %12.1f %12s %8s\n' "peak RSS, VmHWM (MB)" "$hwm" "<= $TARGET_MB" "$(awk "BEGIN { print ($hwm <= $TARGET_MB) ? \"PASS\" : \"FAIL\" }")"
    printf '%-40s %12.0f\n' "files/s (median)" "$(calc "$files / $med")"
    echo "runs (s): ${runs_s//,/ }"
    contention_report
}

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/rescan-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT)"
