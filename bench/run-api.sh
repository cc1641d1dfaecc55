#!/usr/bin/env bash
# REST API under load while the node syncs (issue 5's benchmark). Two `lockstep serve` on 127.0.0.1; A holds FILES
# (10000) x 4 KiB, B pulls them. Each run syncs twice from scratch, interleaved: once quiet, once while `wrk` asks B
# for /rest/db/status?folder=bench and /metrics (alternately) at RATE (200) requests/s in total. Reported, medians of
# RUNS (3): API latency p50/p99 under load, B's CPU per request (while it serves only the API, and extra during the sync), and
# the sync's slowdown against the quiet one. Targets: p99 <= 50 ms, slowdown <= 15% (wrk shares the 2 cores). Before
# each sync (quiet or loaded) B's API gets WARM_S (5) s of the same load, so JIT and first-request costs are not counted,
# then IDLE_S (5) s more, measured: B's CPU per request when it serves only the API.
# Quick run: FILES=1000 RUNS=1 bench/run-api.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
FILES=${FILES:-10000}
RATE=${RATE:-200}
CONNECTIONS=${CONNECTIONS:-10}
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ "$FILES" =~ ^[1-9][0-9]*$ ]] || die "FILES must be a positive integer"
[[ "$RATE" =~ ^[1-9][0-9]*$ ]] || die "RATE must be a positive integer"
FOLDER=bench
DIRS=$((FILES < 100 ? 1 : 100))
PER=$((FILES / DIRS))
FILES=$((DIRS * PER))
LS_BIN=${LS_BIN:-"$LOCKSTEP_ARTIFACTS/bin/Lockstep.Cli/release/lockstep"}
WORK="$BENCH_DIR/api"
for tool in wrk curl; do command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install $tool)"; done

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ "$WORK" == "$BENCH_DIR"/api ]] && purge_retired "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT

build_cli() {
    [[ "${BENCH_NO_BUILD:-0}" == 1 ]] && { [[ -x "$LS_BIN" ]] || die "BENCH_NO_BUILD=1 but $LS_BIN is missing"; return; }
    note "building src/Lockstep.Cli (Release) into $LOCKSTEP_ARTIFACTS ..."
    (cd "$REPO" && dotnet build src/Lockstep.Cli -c Release -nologo >"$BENCH_DIR/build-cli.log" 2>&1) || die "build failed: $BENCH_DIR/build-cli.log"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of a running process

count_files() { find "$1" -path "$1/.st*" -prune -o -type f -print 2>/dev/null | wc -l; }

# one_sync DIR LOAD(0|1) -> prints "SECONDS B_CPU_S IDLE_CPU_MS_PER_REQUEST B_GC_PAUSE_MS B_GC_PAUSES B_GC_PAUSES_OVER_25MS [P50_MS P99_MS REQUESTS RPS ERRORS]"
one_sync() {
    local dir=$1 load=$2 ida idb pa pb qa qb a b t0 t1 c0 c1 wrk_pid=
    retire_tree "$dir" && mkdir -p "$dir" # the last sync's 20,000 files are deleted at the end (lib.sh says why)
    mapfile -t PORTS < <("$BENCH_BIN" free-port --count 4)
    pa=${PORTS[0]} qa=${PORTS[1]} pb=${PORTS[2]} qb=${PORTS[3]}
    ida=$("$LS_BIN" init --home "$dir/a-home" --name a --listen "tcp://127.0.0.1:$pa" --api "127.0.0.1:$qa" 2>/dev/null)
    idb=$("$LS_BIN" init --home "$dir/b-home" --name b --listen "tcp://127.0.0.1:$pb" --api "127.0.0.1:$qb" 2>/dev/null)
    "$LS_BIN" device add --home "$dir/a-home" --id "$idb" --name b --address "tcp://127.0.0.1:$pb" 2>/dev/null
    "$LS_BIN" device add --home "$dir/b-home" --id "$ida" --name a --address "tcp://127.0.0.1:$pa" 2>/dev/null
    cp -a "$BENCH_DIR/trees/api-src" "$dir/a"
    "$LS_BIN" folder add --home "$dir/a-home" --id "$FOLDER" --path "$dir/a" --share "$idb" 2>/dev/null
    "$LS_BIN" folder add --home "$dir/b-home" --id "$FOLDER" --path "$dir/b" --share "$ida" 2>/dev/null
    local key
    key=$(awk '/^  key:/ { print $2 }' "$dir/b-home/config.yaml")
    # B starts first and waits for A; the clock starts when A starts (it scans, then B pulls).
    "$LS_BIN" serve --home "$dir/b-home" >"$dir/b.log" 2>&1 &
    b=$!
    PIDS+=("$b")
    for ((i = 0; i < 300; i++)); do curl -fsS "http://127.0.0.1:$qb/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    cat >"$dir/load.lua" <<EOF
local paths = { "/rest/db/status?folder=$FOLDER", "/metrics" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % 2) + 1], { ["X-API-Key"] = "$key" })
end
delay = function() return $((1000 * CONNECTIONS / RATE)) end
EOF
    # Both runs warm B's API first (JIT, first requests) with WARM_S s of the same load, so the figures are steady state.
    wrk -t 2 -c "$CONNECTIONS" -d "${WARM_S:-5}s" -s "$dir/load.lua" "http://127.0.0.1:$qb" >"$dir/warm.txt" 2>&1 || die "wrk warm-up failed: $(cat "$dir/warm.txt")"
    # Then B's CPU per request while it serves only the API (B warm and idle, A not started yet): IDLE_S (5) s.
    local w0 w1 wreq
    w0=$(cpu_ticks "$b")
    wrk -t 2 -c "$CONNECTIONS" -d "${IDLE_S:-5}s" -s "$dir/load.lua" "http://127.0.0.1:$qb" >"$dir/idle.txt" 2>&1 || die "wrk failed: $(cat "$dir/idle.txt")"
    w1=$(cpu_ticks "$b")
    wreq=$(awk '/requests in/ { print $1 }' "$dir/idle.txt")
    if [[ $load == 1 ]]; then
        wrk -t 2 -c "$CONNECTIONS" -d 600s --latency -s "$dir/load.lua" "http://127.0.0.1:$qb" >"$dir/wrk.txt" 2>&1 &
        wrk_pid=$!
        PIDS+=("$wrk_pid")
    fi
    local g0 g1
    g0=$(gc_pauses "$qb" "$key")
    c0=$(cpu_ticks "$b")
    t0=$(now)
    "$LS_BIN" serve --home "$dir/a-home" >"$dir/a.log" 2>&1 &
    a=$!
    PIDS+=("$a")
    while (($(count_files "$dir/b") < FILES)); do
        kill -0 "$b" 2>/dev/null || die "node B exited: $(tail -3 "$dir/b.log")"
        sleep 0.05
    done
    t1=$(now)
    c1=$(cpu_ticks "$b")
    g1=$(gc_pauses "$qb" "$key")
    local gc
    gc=$(awk -v a="$g0" -v b="$g1" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.1f %d %d", (y[1] - x[1]) * 1000, y[2] - x[2], (y[2] - x[2]) - (y[3] - x[3]) }')
    local result
    result="$(calc "$t1 - $t0" "%.3f") $(calc "($c1 - $c0) / $(getconf CLK_TCK)" "%.3f") $(calc "($w1 - $w0) * 1000 / $(getconf CLK_TCK) / $wreq" "%.3f") $gc"
    if [[ -n "$wrk_pid" ]]; then
        kill -INT "$wrk_pid" 2>/dev/null || true
        wait "$wrk_pid" 2>/dev/null || true
        # wrk --latency prints "50%  1.23ms" ... "99%  4.56ms"; a unit of us, ms or s
        local p50 p99 reqs rps errs secs
        p50=$(awk '$1 == "50%" { print $2 }' "$dir/wrk.txt")
        p99=$(awk '$1 == "99%" { print $2 }' "$dir/wrk.txt")
        reqs=$(awk '/requests in/ { print $1 }' "$dir/wrk.txt")
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.txt")
        errs=$(awk '/Non-2xx|Socket errors/ { e += $NF } END { print e + 0 }' "$dir/wrk.txt")
        [[ -n "$p50" && -n "$reqs" ]] || die "wrk printed no summary: $(cat "$dir/wrk.txt")"
        result="$result $(to_ms "$p50") $(to_ms "$p99") $reqs $rps $errs"
    fi
    kill -TERM "$a" "$b" 2>/dev/null || true
    wait "$a" 2>/dev/null || true
    wait "$b" 2>/dev/null || true
    echo "$result"
}

# B's GC pauses so far: stalls in the API's tail are either pauses or waits
# -> "TOTAL_S PAUSES PAUSES_UP_TO_25MS" from lockstep_gc_pause_seconds_total and the lockstep_gc_pause_seconds histogram
gc_pauses() {
    curl -fsS -H "X-API-Key: $2" "http://127.0.0.1:$1/metrics" | awk '
        $1 == "lockstep_gc_pause_seconds_total" { t = $2 }
        $1 == "lockstep_gc_pause_seconds_count" { n = $2 }
        $1 == "lockstep_gc_pause_seconds_bucket{le=\"0.025\"}" { s = $2 }
        END { print t + 0, n + 0, s + 0 }'
}

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f\n", n }'; }

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    build_cli
    gen_small_tree "$BENCH_DIR/trees/api-src" "$DIRS" "$PER" 4096
    echo "Lockstep API under load, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "two nodes on 127.0.0.1; B pulls $FILES x 4 KiB; wrk: $RATE req/s over $CONNECTIONS connections to B (/rest/db/status and /metrics); $RUNS runs, medians"
    wait_inode_reuse_window
    load_warning
    local quiet=() loaded=() cpu_quiet=() cpu_loaded=() p50=() p99=() per_req=() idle_per_req=() rps=() errors=0 run q l
    contention_start
    for ((run = 1; run <= RUNS; run++)); do
        q=$(one_sync "$WORK/quiet" 0)
        l=$(one_sync "$WORK/loaded" 1)
        read -r qs qc qw qg qgn qgl <<<"$q"
        read -r ls lc lw lg lgn lgl lp50 lp99 lreq lrps lerr <<<"$l"
        quiet+=("$qs"); loaded+=("$ls"); cpu_quiet+=("$qc"); cpu_loaded+=("$lc"); p50+=("$lp50"); p99+=("$lp99"); rps+=("$lrps")
        per_req+=("$(calc "($lc - $qc) * 1000 / $lreq" "%.3f")")
        idle_per_req+=("$qw" "$lw")
        errors=$((errors + lerr))
        printf '  run %d: quiet sync %6.2f s (B %.2f CPU-s, GC %d pauses, %.0f ms, %d over 25 ms) | loaded sync %6.2f s (B %.2f CPU-s, GC %d pauses, %.0f ms, %d over 25 ms), %s requests at %s/s, p50 %.2f ms, p99 %.2f ms\n' \
            "$run" "$qs" "$qc" "$qgn" "$qg" "$qgl" "$ls" "$lc" "$lgn" "$lg" "$lgl" "$lreq" "$lrps" "$lp50" "$lp99"
    done
    local mq ml mp50 mp99 slow
    mq=$(median "${quiet[@]}"); ml=$(median "${loaded[@]}"); mp50=$(median "${p50[@]}"); mp99=$(median "${p99[@]}")
    slow=$(calc "100 * ($ml / $mq - 1)" "%.1f")
    echo
    printf 'API latency under load: p50 %.2f ms, p99 %.2f ms   target p99 <= 50 ms: %s\n' "$mp50" "$mp99" \
        "$(awk -v v="$mp99" 'BEGIN { print (v <= 50) ? "PASS" : "FAIL" }')"
    printf 'rate achieved: %s req/s (median); non-2xx or socket errors: %d\n' "$(median "${rps[@]}")" "$errors"
    printf "B's CPU per request: %.3f ms serving only the API (warm, idle node; median); %.3f ms extra during the sync (median of loaded - quiet, noisy)\n" \
        "$(median "${idle_per_req[@]}")" "$(median "${per_req[@]}")"
    printf 'sync of %d files: quiet %.2f s, under load %.2f s: slowdown %s%%   target <= 15%%: %s\n' "$FILES" "$mq" "$ml" "$slow" \
        "$(awk -v v="$slow" 'BEGIN { print (v <= 15) ? "PASS" : "FAIL" }')"
    contention_report
}

OUT="$RESULTS_DIR/api-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$RESULTS_DIR"
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT)"
