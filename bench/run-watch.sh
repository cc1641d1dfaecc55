#!/usr/bin/env bash
# Watcher latency: $RUNS (default 3) runs of `watch-latency --edits $EDITS` (default 200): each edit rewrites a
# file and waits for the folder runner's LocalIndexUpdated naming it. Prints p50/p90/p99/max per run and the
# median p50 (target <= 80 ms, the 50 ms debounce included). See bench/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
EDITS=${EDITS:-200}
TARGET_MS=80

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    local dir="$BENCH_DIR/trees/watch"
    rm -rf "$dir"
    mkdir -p "$dir/.stfolder"
    echo "Lockstep watcher-latency benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src')"
    echo "$RUNS runs x $EDITS sequential edits; latency = start of the write -> LocalIndexUpdated naming the file (watcher delay 50 ms)"
    load_warning
    contention_start
    local p50s=() r log rc
    printf '\n%-6s %8s %8s %8s %8s %8s %9s\n' run "p50 ms" "p90 ms" "p99 ms" "max ms" "seen" "timeouts"
    for ((r = 1; r <= RUNS; r++)); do
        log="$RESULTS_DIR/watch-lockstep-$r.log"
        rc=0
        "$BENCH_BIN" watch-latency --dir "$dir" --edits "$EDITS" >"$log" 2>&1 || rc=$?
        grep -q '^RESULT ' "$log" || { cat "$log" >&2; die "watch-latency run $r failed (exit $rc)"; }
        if [[ "$(result_field seen "$log")" == 0 ]]; then cat "$log" >&2; die "watch-latency run $r saw no edit"; fi
        printf '%-6s %8.1f %8.1f %8.1f %8.1f %8s %9s\n' "$r" "$(result_field p50_ms "$log")" "$(result_field p90_ms "$log")" \
            "$(result_field p99_ms "$log")" "$(result_field max_ms "$log")" "$(result_field seen "$log")" "$(result_field timeouts "$log")"
        p50s+=("$(result_field p50_ms "$log")")
    done
    local med
    med=$(median "${p50s[@]}")
    echo
    printf 'median p50: %.1f ms   target <= %d ms   %s\n' "$med" "$TARGET_MS" "$(awk "BEGIN { print ($med <= $TARGET_MS) ? \"PASS\" : \"FAIL\" }")"
    contention_report
}

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/watch-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT)"
