#!/usr/bin/env bash
# BEP block-transfer throughput on loopback, side by side in ONE process (bench `bep-throughput`): raw TCP, TLS 1.3
# (Lockstep's TlsListener/TlsDialer), and BEP Request/Response of 128 KiB blocks over that TLS (Hello, PeerConnection,
# 256 requests = 32 MiB in flight, SHA-256 of every block checked, blocks served by RequestServer from an indexed
# file), each $MIB MiB (default 1024), $RUNS runs (default 3) interleaved; then $SETUPS (default 50) connection
# setups (TCP + TLS + Hello + ClusterConfig both ways). Target: BEP >= 70% of TLS. SOURCE=memory serves the blocks
# from an in-memory buffer instead of the file. See bench/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
MIB=${MIB:-1024}
SETUPS=${SETUPS:-50}
SOURCE=${SOURCE:-file}
FILE_BYTES=${FILE_BYTES:-209715200} # 200 MiB: under 250 MiB, so the file is indexed with 128 KiB blocks
TARGET_PCT=70

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    local dir="$BENCH_DIR/trees/bep" src_args=()
    if [[ "$SOURCE" == file ]]; then
        gen_big_file "$dir" "$FILE_BYTES"
        src_args=(--dir "$dir")
    fi
    echo "Lockstep BEP throughput benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src')"
    echo "loopback, one process; $RUNS interleaved runs x $MIB MiB per layer; 128 KiB buffers/blocks; MB = 10^6 bytes; medians"
    load_warning
    local log="$RESULTS_DIR/bep-lockstep.log" rc=0
    contention_start
    "$BENCH_BIN" bep-throughput --mib "$MIB" --runs "$RUNS" --setups "$SETUPS" "${src_args[@]}" >"$log" 2>&1 || rc=$?
    grep -q '^RESULT ' "$log" || { cat "$log" >&2; die "bep-throughput failed (exit $rc)"; }
    grep -E '^(blocks served from|warm-up|  run |WARNING)' "$log" || true
    local tcp tls bep
    tcp=$(result_field tcp_mb_s "$log"); tls=$(result_field tls_mb_s "$log"); bep=$(result_field bep_mb_s "$log")
    printf '\n%-34s %10s %18s %12s %10s\n' layer "MB/s" "runs MB/s" "CPU-s/GB" "vs above"
    printf '%-34s %10.0f %18s %12.2f %10s\n' "raw TCP" "$tcp" "$(result_field tcp_runs "$log")" "$(result_field tcp_cpu_s_per_gb "$log")" "-"
    printf '%-34s %10.0f %18s %12.2f %9.1f%%\n' "TLS 1.3 (SslStream)" "$tls" "$(result_field tls_runs "$log")" "$(result_field tls_cpu_s_per_gb "$log")" "$(calc "100 * $tls / $tcp")"
    printf '%-34s %10.0f %18s %12.2f %9.1f%%\n' "BEP blocks ($(result_field source "$log"), SHA-256 checked)" "$bep" "$(result_field bep_runs "$log")" "$(result_field bep_cpu_s_per_gb "$log")" "$(calc "100 * $bep / $tls")"
    echo
    printf 'BEP/TLS: %.1f%%   target >= %d%%   %s\n' "$(calc "100 * $bep / $tls")" "$TARGET_PCT" \
        "$(awk -v r="$(calc "100 * $bep / $tls")" -v t="$TARGET_PCT" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }')"
    printf 'BEP/TLS per interleaved run pair (median): %.1f%%; ceiling with SHA-256 checked on these cores: %.1f%%\n' \
        "$(calc "100 * $(result_field bep_over_tls_paired "$log")")" "$(calc "100 * $(result_field bep_over_tls_ceiling "$log")")"
    printf 'TLS/TCP: %.1f%%\n' "$(calc "100 * $tls / $tcp")"
    printf 'BEP: SHA-256 check alone %.2f CPU-s/GB; %.2f bytes allocated per byte moved, %s gen-2 GCs per run (TLS: %.4f bytes/byte)\n' \
        "$(result_field sha_cpu_s_per_gb "$log")" "$(result_field bep_alloc_per_byte "$log")" "$(result_field bep_gen2 "$log")" "$(result_field tls_alloc_per_byte "$log")"
    printf 'setup (TCP + TLS + Hello + ClusterConfig both ways, %s setups): p50 %.2f ms, p90 %.2f ms, max %.2f ms\n' \
        "$(result_field setups "$log")" "$(result_field setup_p50_ms "$log")" "$(result_field setup_p90_ms "$log")" "$(result_field setup_max_ms "$log")"
    contention_report
}

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/bep-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT; full bench output in $RESULTS_DIR/bep-lockstep.log)"
