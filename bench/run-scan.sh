#!/usr/bin/env bash
# Initial-scan throughput, side by side in one run: Lockstep vs Syncthing 1.19 vs sha256sum vs the hashing limit,
# on two trees (10,000 x 4 KiB files; one 1 GiB file). Medians of $RUNS runs (default 3). See bench/README.md.
#   BENCH_DIR (default /tmp/lockstep-bench)  scratch: trees, Syncthing homes, temporary indexes, build output
#   RUNS (default 3)   SMALL_FILES (default 10000, in 100 dirs)   BIG_BYTES (default 1 GiB)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
SMALL_DIRS=100
SMALL_FILES=${SMALL_FILES:-10000}
SMALL_SIZE=4096
BIG_BYTES=${BIG_BYTES:-1073741824}
ST_TIMEOUT_S=${ST_TIMEOUT_S:-900}
ST_KEY=lockstep-bench-key
ST_FOLDER=bench

((SMALL_FILES % SMALL_DIRS == 0)) || die "SMALL_FILES must be a multiple of $SMALL_DIRS"
for tool in syncthing openssl sha256sum curl jq xargs; do
    command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install $tool)"
done

# ---------------------------------------------------------------- Syncthing processes we started

ST_PIDS=()
ST_HOMES=()
cleanup() {
    local pid i
    for pid in "${ST_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for home in "${ST_HOMES[@]}"; do [[ -n "$home" && "$home" == "$BENCH_DIR"/st-home.* ]] && rm -rf "$home"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() {
    local keep=() p
    for p in "${ST_PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
    ST_PIDS=("${keep[@]}")
}

st_config() { # HOME DEVICE_ID TREE GUI_PORT LISTEN_PORT
    # Hand-written (bep-v1.md §7): every <defaults><folder> child is copied in, since omitted children get Go
    # zero values (maxConflicts=0 ...). sendonly: Syncthing never writes into the tree. No watcher, no rescans,
    # no discovery, relays, NAT, usage or crash reporting; everything on 127.0.0.1.
    cat >"$1/config.xml" <<EOF
<configuration version="36">
    <folder id="$ST_FOLDER" label="$ST_FOLDER" path="$3" type="sendonly" rescanIntervalS="86400" fsWatcherEnabled="false" fsWatcherDelayS="10" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="$2" introducedBy=""></device>
        <minDiskFree unit="%">1</minDiskFree>
        <versioning>
            <cleanupIntervalS>3600</cleanupIntervalS>
            <fsPath></fsPath>
            <fsType>basic</fsType>
        </versioning>
        <copiers>0</copiers>
        <pullerMaxPendingKiB>0</pullerMaxPendingKiB>
        <hashers>0</hashers>
        <order>random</order>
        <ignoreDelete>false</ignoreDelete>
        <scanProgressIntervalS>0</scanProgressIntervalS>
        <pullerPauseS>0</pullerPauseS>
        <maxConflicts>10</maxConflicts>
        <disableSparseFiles>false</disableSparseFiles>
        <disableTempIndexes>false</disableTempIndexes>
        <paused>false</paused>
        <weakHashThresholdPct>25</weakHashThresholdPct>
        <markerName>.stfolder</markerName>
        <copyOwnershipFromParent>false</copyOwnershipFromParent>
        <modTimeWindowS>0</modTimeWindowS>
        <maxConcurrentWrites>2</maxConcurrentWrites>
        <disableFsync>false</disableFsync>
        <blockPullOrder>standard</blockPullOrder>
        <copyRangeMethod>standard</copyRangeMethod>
        <caseSensitiveFS>false</caseSensitiveFS>
        <junctionsAsDirs>false</junctionsAsDirs>
    </folder>
    <device id="$2" name="bench-syncthing" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>dynamic</address>
        <paused>false</paused>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:$4</address>
        <apikey>$ST_KEY</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:$5</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <setLowPriority>false</setLowPriority>
        <maxFolderConcurrency>0</maxFolderConcurrency>
        <insecureAllowOldTLSVersions>false</insecureAllowOldTLSVersions>
    </options>
</configuration>
EOF
}

# st_scan_once TREE EXPECTED_FILES -> sets ST_DURATION (seconds Syncthing spent in state "scanning").
# Not called in $(...): the PID bookkeeping must stay in this shell for the EXIT trap.
st_scan_once() {
    local tree=$1 expect=$2 home id ports gui listen pid api since resp dur err deadline files
    home=$(mktemp -d "$BENCH_DIR/st-home.XXXXXX")
    ST_HOMES+=("$home")
    syncthing generate --home "$home" --no-default-folder --skip-port-probing >"$home/generate.log" 2>&1 \
        || die "syncthing generate failed: $(tail -3 "$home/generate.log")"
    id=$(syncthing --home "$home" --device-id 2>/dev/null) || die "syncthing --device-id failed"
    mapfile -t ports < <("$BENCH_BIN" free-port --count 2)
    ((${#ports[@]} == 2)) || die "could not pick two free ports on 127.0.0.1"
    gui=${ports[0]} listen=${ports[1]}
    st_config "$home" "$id" "$tree" "$gui" "$listen"
    STNOUPGRADE=1 STMONITORED=1 syncthing serve --home "$home" --no-browser --no-restart --no-upgrade >"$home/log" 2>&1 &
    pid=$!
    ST_PIDS+=("$pid")
    api="http://127.0.0.1:$gui"
    for ((i = 0; ; i++)); do
        curl -sf -m 2 -H "X-API-Key: $ST_KEY" "$api/rest/system/ping" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || die "syncthing exited at start: $(tail -5 "$home/log")"
        ((i < 300)) || die "syncthing API did not come up on $api within 30 s: $(tail -5 "$home/log")"
        sleep 0.1
    done
    # The unfiltered event stream is buffered from start-up, so the scan's StateChanged events cannot be missed;
    # a filtered request (?events=StateChanged) subscribes only when first asked, too late for a fast scan.
    # StateChanged "scanning" -> "idle" carries duration = seconds spent scanning, timed inside Syncthing.
    since=0 dur="" deadline=$((SECONDS + ST_TIMEOUT_S))
    while [[ -z "$dur" ]]; do
        ((SECONDS < deadline)) || die "no end of scan from syncthing within ${ST_TIMEOUT_S} s (log: $home/log)"
        kill -0 "$pid" 2>/dev/null || die "syncthing exited during the scan: $(tail -5 "$home/log")"
        resp=$(curl -sf -m 40 -H "X-API-Key: $ST_KEY" "$api/rest/events?since=$since&timeout=30") || { sleep 0.2; continue; }
        err=$(jq -r --arg f "$ST_FOLDER" '[.[] | select(.type == "StateChanged" and .data.folder == $f and .data.to == "error")] | length' <<<"$resp")
        ((err == 0)) || die "syncthing's folder went to state error: $(curl -s -H "X-API-Key: $ST_KEY" "$api/rest/db/status?folder=$ST_FOLDER")"
        dur=$(jq -r --arg f "$ST_FOLDER" '[.[] | select(.type == "StateChanged" and .data.folder == $f and .data.from == "scanning" and .data.to == "idle")][0].data.duration // empty' <<<"$resp")
        since=$(jq -r --argjson s "$since" '(map(.id) + [$s]) | max' <<<"$resp")
    done
    files=$(curl -sf -m 30 -H "X-API-Key: $ST_KEY" "$api/rest/db/status?folder=$ST_FOLDER" | jq -r '.localFiles') || files="?"
    [[ "$files" == "$expect" ]] || echo "  WARNING: syncthing indexed $files files, expected $expect" >&2
    curl -sf -m 10 -X POST -H "X-API-Key: $ST_KEY" "$api/rest/system/shutdown" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; sleep 2; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
    rm -rf "$home"
    ST_DURATION=$dur
}

# ---------------------------------------------------------------- one tree

# Each tree's figures are kept for the summary in SUM_<key>_<what>
bench_tree() { # KEY LABEL DIR
    local key=$1 label=$2 dir=$3 files bytes mb r t0 t1 v log=""
    read -r files bytes < <(tree_stats "$dir")
    mb=$(calc "$bytes / 1e6" "%.1f")
    echo
    echo "=== $label: $files files, $mb MB ($dir) ==="
    load_warning
    warm_cache "$dir"
    contention_start

    # (a) hashing limit: openssl's one-core SHA-256 (CPU-time based, 16 KiB buffers) x cores
    local ossl=()
    for ((r = 1; r <= RUNS; r++)); do
        v=$(openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null | awk '/^sha256[ \t]/ { sub(/k$/, "", $NF); print $NF * 1000 }')
        [[ -n "$v" ]] || die "could not parse 'openssl speed -evp sha256 -bytes 16384' output"
        ossl+=("$v")
    done
    local core_bps limit_bps
    core_bps=$(median "${ossl[@]}")
    limit_bps=$(calc "$core_bps * $NPROC")
    echo "hashing limit: openssl sha256 @16 KiB, one core: $(calc "$core_bps / 1e6" "%.0f") MB/s (median of $RUNS) x $NPROC cores"

    # (a') what .NET's SHA256.HashData reaches right now on all cores, in memory, wall clock: shows how much of
    # the machine this run really had (another process on the cores lowers it; the openssl figure is CPU time)
    local dn=() dn_cores=()
    for ((r = 1; r <= RUNS; r++)); do
        log="$RESULTS_DIR/scan-$key-hash-speed.log"
        "$BENCH_BIN" hash-speed --seconds 2 >"$log" 2>&1 || { cat "$log" >&2; die "hash-speed failed"; }
        dn+=("$(result_field all_cores_mb_per_s "$log")")
        dn_cores+=("$(result_field all_cores_cpu "$log")")
    done
    local dotnet_bps dotnet_cores
    dotnet_bps=$(calc "$(median "${dn[@]}") * 1e6")
    dotnet_cores=$(median "${dn_cores[@]}")
    echo ".NET SHA256.HashData, $NPROC threads, 1 MiB blocks in memory: $(calc "$dotnet_bps / 1e6" "%.0f") MB/s wall, using $(calc "$dotnet_cores" "%.2f") cores (median of $RUNS)"

    # (b) sha256sum over the tree, one process and one per core
    local one=() par=()
    for ((r = 1; r <= RUNS; r++)); do
        t0=$(now); find "$dir" -path "$dir/.st*" -prune -o -type f -print0 | xargs -0 sha256sum >/dev/null; t1=$(now)
        one+=("$(calc "$t1 - $t0")")
        t0=$(now); find "$dir" -path "$dir/.st*" -prune -o -type f -print0 | xargs -0 -P "$NPROC" -n 256 sha256sum >/dev/null; t1=$(now)
        par+=("$(calc "$t1 - $t0")")
    done
    local one_s par_s
    one_s=$(median "${one[@]}")
    par_s=$(median "${par[@]}")
    echo "sha256sum runs (s): 1 process: ${one[*]}; xargs -P $NPROC: ${par[*]}"

    # (c) Lockstep: initial scan into a fresh index, in-process timing, median of RUNS
    log="$RESULTS_DIR/scan-$key-lockstep.log"
    "$BENCH_BIN" scan --dir "$dir" --runs "$RUNS" >"$log" 2>&1 || { cat "$log" >&2; die "Lockstep scan failed"; }
    sed 's/^/  /' "$log" | grep -v '^  RESULT'
    local ls_s ls_problems ls_cores
    ls_s=$(result_field median_s "$log")
    ls_cores=$(result_field cpu_cores "$log")
    ls_problems=$(result_field problems "$log")
    ((ls_problems == 0)) || echo "WARNING: Lockstep reported $ls_problems scan problems (see $log)"

    # (d) Syncthing 1.19: initial scan of the same tree, fresh home each run, duration from its events
    local st=()
    for ((r = 1; r <= RUNS; r++)); do
        st_scan_once "$dir" "$files"
        st+=("$ST_DURATION")
        echo "  syncthing run $r: $(calc "$ST_DURATION" "%.3f") s (StateChanged scanning->idle duration)"
    done
    local st_s
    st_s=$(median "${st[@]}")

    # table
    local ls_mbps st_mbps
    ls_mbps=$(calc "$bytes / 1e6 / $ls_s")
    st_mbps=$(calc "$bytes / 1e6 / $st_s")
    echo
    printf '%-38s %9s %11s %9s %9s\n' "$label" "seconds" "files/s" "MB/s" "of limit"
    row() { printf '%-38s %9.4f %11.0f %9.1f %8.0f%%\n' "$1" "$2" "$(calc "$files / $2")" "$(calc "$bytes / 1e6 / $2")" "$(calc "100 * $bytes / $2 / $limit_bps")"; }
    row "hashing limit (openssl x $NPROC cores)" "$(calc "$bytes / $limit_bps")"
    row ".NET SHA256, $NPROC threads, in memory" "$(calc "$bytes / $dotnet_bps")"
    row "sha256sum, 1 process" "$one_s"
    row "sha256sum, xargs -P $NPROC" "$par_s"
    row "Syncthing 1.19 (median of $RUNS)" "$st_s"
    row "Lockstep (median of $RUNS)" "$ls_s"
    local r_limit r_st
    r_limit=$(calc "100 * $bytes / $ls_s / $limit_bps" "%.0f")
    r_st=$(calc "$st_s / $ls_s" "%.2f")
    echo "ratios: Lockstep/limit = ${r_limit}%   Lockstep/Syncthing = ${r_st}x (throughput; >1 means Lockstep is faster)"
    echo "Lockstep used $(calc "$ls_cores" "%.2f") cores of CPU during its scans (median; $NPROC available)"
    contention_report
    printf -v "SUM_${key}_others" '%s' "$CONT_OTHERS"
    printf -v "SUM_${key}_files" '%s' "$files"
    printf -v "SUM_${key}_mb" '%s' "$mb"
    printf -v "SUM_${key}_ls_s" '%s' "$ls_s"
    printf -v "SUM_${key}_st_s" '%s' "$st_s"
    printf -v "SUM_${key}_ls_fps" '%s' "$(calc "$files / $ls_s" "%.0f")"
    printf -v "SUM_${key}_st_fps" '%s' "$(calc "$files / $st_s" "%.0f")"
    printf -v "SUM_${key}_ls_mbps" '%s' "$(calc "$ls_mbps" "%.1f")"
    printf -v "SUM_${key}_st_mbps" '%s' "$(calc "$st_mbps" "%.1f")"
    printf -v "SUM_${key}_limit_mbps" '%s' "$(calc "$limit_bps / 1e6" "%.0f")"
    printf -v "SUM_${key}_r_limit" '%s' "$r_limit"
    printf -v "SUM_${key}_r_st" '%s' "$r_st"
    printf -v "SUM_${key}_r_dotnet" '%s' "$(calc "100 * $bytes / $ls_s / $dotnet_bps" "%.0f")"
    printf -v "SUM_${key}_dotnet_mbps" '%s' "$(calc "$dotnet_bps / 1e6" "%.0f")"
    printf -v "SUM_${key}_ls_cores" '%s' "$(calc "$ls_cores" "%.2f")"
}

pass() { if awk "BEGIN { exit !($1) }"; then echo "PASS"; else echo "FAIL"; fi; }

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    local small="$BENCH_DIR/trees/small-$((SMALL_FILES / 1000))k"
    local big="$BENCH_DIR/trees/big-$((BIG_BYTES >> 20))m"
    gen_small_tree "$small" "$SMALL_DIRS" $((SMALL_FILES / SMALL_DIRS)) "$SMALL_SIZE"
    gen_big_file "$big" "$BIG_BYTES"

    echo "Lockstep initial-scan benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src'), $(syncthing --version | cut -d' ' -f1-2), $(openssl version | cut -d' ' -f1-2)"
    echo "MB = 10^6 bytes; every figure is the median of $RUNS runs; page cache warm."
    bench_tree small "$((SMALL_FILES / 1000))k x 4 KiB files" "$small"
    bench_tree big "$((BIG_BYTES >> 20)) MiB file" "$big"

    echo
    echo "=== summary ==="
    printf '%-22s %10s %10s %10s %10s %10s %10s %9s %9s\n' tree "LS files/s" "ST files/s" "LS MB/s" "ST MB/s" "limit MB/s" "LS/limit" "LS/ST" ""
    printf '%-22s %10s %10s %10s %10s %10s %9s%% %8sx\n' "$SUM_small_files x 4 KiB" "$SUM_small_ls_fps" "$SUM_small_st_fps" "$SUM_small_ls_mbps" "$SUM_small_st_mbps" "$SUM_small_limit_mbps" "$SUM_small_r_limit" "$SUM_small_r_st"
    printf '%-22s %10s %10s %10s %10s %10s %9s%% %8sx\n' "1 x $SUM_big_mb MB" "$SUM_big_ls_fps" "$SUM_big_st_fps" "$SUM_big_ls_mbps" "$SUM_big_st_mbps" "$SUM_big_limit_mbps" "$SUM_big_r_limit" "$SUM_big_r_st"
    echo
    echo "targets:"
    echo "  1 GiB scan >= 70% of the all-core hashing limit:  ${SUM_big_r_limit}%   $(pass "$SUM_big_r_limit >= 70")"
    echo "  small files >= 5,000 files/s:                     $SUM_small_ls_fps files/s   $(pass "$SUM_small_ls_fps >= 5000")"
    echo "  faster than Syncthing, small files:               ${SUM_small_r_st}x   $(pass "$SUM_small_r_st > 1")"
    echo "  faster than Syncthing, 1 GiB:                     ${SUM_big_r_st}x   $(pass "$SUM_big_r_st > 1")"
    echo "context: 1 GiB, Lockstep = ${SUM_big_r_dotnet}% of the ${SUM_big_dotnet_mbps} MB/s that .NET SHA-256 reached on $NPROC threads in this run; Lockstep's scan used ${SUM_big_ls_cores} cores"
    echo "context: other processes used on average ${SUM_small_others} (small tree) and ${SUM_big_others} (1 GiB) of $NPROC cores during the measurements"
}

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/scan-$(date -u +%Y%m%dT%H%M%SZ).txt"
# Not "main | tee": that would run main in a subshell, out of reach of the EXIT trap's PID list.
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT)"
