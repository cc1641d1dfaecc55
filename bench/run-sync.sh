#!/usr/bin/env bash
# End-to-end sync between two nodes on 127.0.0.1, side by side in ONE run: two `lockstep serve` processes vs two
# Syncthing 1.19 at fsWatcherDelayS=10 (its default) and =1 (its fastest), plus `rsync -a` to an rsync daemon as
# a one-shot reference. Each pair is driven through its folders by `Lockstep.Bench sync-pair` (PairSync.cs):
#   1. SMALL_FILES (10000) x 4 KiB written on A until identical on B      target: Lockstep <= 0.3x Syncthing (delay 1)
#   2. one BIG_BYTES (1 GiB) file: MB/s                                   >= 2x Syncthing (delay 1), >= 70% of disk write
#   3. 1 MiB overwritten in its middle: bytes on the wire, time           <= 1.2 MiB; <= 0.5x Syncthing (delay 1)
#   4. EDITS (100) small edits, each until visible on B: p50, p99        <= 100 ms, <= 300 ms
#   5. peak RSS and CPU seconds of both nodes during step 1               (reported, no target)
# Medians of RUNS (3) runs, the systems interleaved within each run, taking turns at going first; the disk limit measured after each. Quick smoke run:
#   SMALL_FILES=500 BIG_BYTES=64MiB RUNS=1 EDITS=10 bench/run-sync.sh
# See bench/README.md for every variable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# size_bytes 64MiB|1GiB|1G|1048576 -> bytes (K, M, G, T are powers of 1024, with or without "iB"/"B")
size_bytes() {
    awk -v s="$1" 'BEGIN {
        if (match(s, /^[0-9]+/) == 0) exit 1
        n = substr(s, 1, RLENGTH); u = toupper(substr(s, RLENGTH + 1)); sub(/I?B$/, "", u)
        m = (u == "") ? 1 : (u == "K") ? 1024 : (u == "M") ? 1048576 : (u == "G") ? 1073741824 : (u == "T") ? 1099511627776 : -1
        if (m < 0) exit 1
        printf "%.0f\n", n * m }'
}

RUNS=${RUNS:-3}
SMALL_FILES=${SMALL_FILES:-10000}
EDITS=${EDITS:-100}
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ "$SMALL_FILES" =~ ^[1-9][0-9]*$ ]] || die "SMALL_FILES must be a positive integer"
[[ "$EDITS" =~ ^[0-9]+$ ]] || die "EDITS must be a non-negative integer"
SMALL_SIZE=4096
SMALL_DIRS=$((SMALL_FILES < 100 ? (SMALL_FILES > 0 ? SMALL_FILES : 1) : 100))
BIG_BYTES=$(size_bytes "${BIG_BYTES:-1GiB}") || die "BIG_BYTES must look like 1073741824, 64MiB or 1GiB"
PATCH_BYTES=1048576
EDITS_ST10=${EDITS_ST10:-$((EDITS < 10 ? EDITS : 10))} # each edit waits out Syncthing's 10 s watcher delay
[[ "$EDITS_ST10" =~ ^[0-9]+$ ]] || die "EDITS_ST10 must be a non-negative integer"
WARMUP_FILES=${WARMUP_FILES:-200}
[[ "$WARMUP_FILES" =~ ^[0-9]+$ ]] || die "WARMUP_FILES must be a non-negative integer"
# DROP_CACHES=1 (default when root): sync + drop the page cache before the small step, untimed (PairSync.cs says why).
DROP_CACHES=${DROP_CACHES:-$([[ -w /proc/sys/vm/drop_caches ]] && echo 1 || echo 0)}
[[ "$DROP_CACHES" =~ ^[01]$ ]] || die "DROP_CACHES must be 0 or 1"
((DROP_CACHES == 0)) || [[ -w /proc/sys/vm/drop_caches ]] || die "DROP_CACHES=1 needs root (/proc/sys/vm/drop_caches is not writable)"
SYSTEMS=${SYSTEMS:-lockstep st10 st1 rsync}
STEP_TIMEOUT_S=${STEP_TIMEOUT_S:-900}
SETTLE_MAX_S=${SETTLE_MAX_S:-30}
ST_KEY=lockstep-bench-key
FOLDER=bench
LS_BIN=${LS_BIN:-"$LOCKSTEP_ARTIFACTS/bin/Lockstep.Cli/release/lockstep"}
WORK="$BENCH_DIR/sync"

((BIG_BYTES >= PATCH_BYTES)) || die "BIG_BYTES must be at least 1 MiB"
for s in $SYSTEMS; do [[ "$s" =~ ^(lockstep|st10|st1|rsync)$ ]] || die "SYSTEMS: unknown '$s' (lockstep st10 st1 rsync)"; done
for tool in syncthing curl jq ss; do
    command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install $([[ $tool == ss ]] && echo iproute2 || echo "$tool"))"
done
HAVE_RSYNC=1
command -v rsync >/dev/null || HAVE_RSYNC=0

# ---------------------------------------------------------------- processes we started (stopped by PID only)

PIDS=()
cleanup() {
    local pid i
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    [[ -n "${WORK:-}" && "$WORK" == "$BENCH_DIR"/sync ]] && purge_retired "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# stop_pid PID [SECONDS]: SIGTERM, wait, SIGKILL; reaped, so its CPU counts as ours in contention_report
stop_pid() {
    local pid=$1 wait_s=${2:-15} i
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { echo "  WARNING: pid $pid ignored SIGTERM for $wait_s s; killed" >&2; kill -KILL "$pid" 2>/dev/null || true; }
    fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

build_cli() {
    if [[ "${BENCH_NO_BUILD:-0}" == 1 ]]; then
        [[ -x "$LS_BIN" ]] || die "BENCH_NO_BUILD=1 but $LS_BIN is missing"
        note "BENCH_NO_BUILD=1: using the existing $LS_BIN (built $(date -u -r "$LS_BIN" +%Y-%m-%dT%H:%M:%SZ))"
        return
    fi
    local log="$BENCH_DIR/build-cli.log"
    note "building src/Lockstep.Cli (Release) into $LOCKSTEP_ARTIFACTS ..."
    if ! (cd "$REPO" && dotnet build src/Lockstep.Cli -c Release -nologo >"$log" 2>&1); then
        grep -E 'error|Error' "$log" | sort -u | head -20 >&2
        die "lockstep build failed (full log: $log); if src/ is mid-change, wait and retry"
    fi
    [[ -x "$LS_BIN" ]] || die "built, but $LS_BIN is missing"
}

free_ports() { # N -> PORTS array
    mapfile -t PORTS < <("$BENCH_BIN" free-port --count "$1")
    ((${#PORTS[@]} == $1)) || die "could not pick $1 free ports on 127.0.0.1"
}

# A pair, once started, is described by: PAIR_SRC PAIR_DST (folder roots), PAIR_PIDS (A,B), PAIR_PORTS (BEP listen
# ports of A and B, for ss), PAIR_ARGS (extra sync-pair arguments) and PAIR_STOP (the function that stops it).

# ---------------------------------------------------------------- Lockstep: two `lockstep serve`

ls_cli() { # DIR ARGS... -> lockstep's stdout; its stderr goes to DIR/setup.log
    local dir=$1
    shift
    "$LS_BIN" "$@" 2>>"$dir/setup.log" || die "lockstep $1 $2 failed: $(tail -3 "$dir/setup.log")"
}

ls_ready() { grep -q '"EventId":1001' "$1" 2>/dev/null && grep -q '"EventId":1102' "$1" 2>/dev/null; }

ls_pair_start() { # DIR
    local dir=$1 ida idb pa pb qa qb i
    free_ports 4
    pa=${PORTS[0]} qa=${PORTS[1]} pb=${PORTS[2]} qb=${PORTS[3]}
    ida=$(ls_cli "$dir" init --home "$dir/a-home" --name bench-a --listen "tcp://127.0.0.1:$pa" --api "127.0.0.1:$qa")
    idb=$(ls_cli "$dir" init --home "$dir/b-home" --name bench-b --listen "tcp://127.0.0.1:$pb" --api "127.0.0.1:$qb")
    ls_cli "$dir" device add --home "$dir/a-home" --id "$idb" --name bench-b --address "tcp://127.0.0.1:$pb"
    ls_cli "$dir" device add --home "$dir/b-home" --id "$ida" --name bench-a --address "tcp://127.0.0.1:$pa"
    ls_cli "$dir" folder add --home "$dir/a-home" --id "$FOLDER" --path "$dir/a" --share "$idb"
    ls_cli "$dir" folder add --home "$dir/b-home" --id "$FOLDER" --path "$dir/b" --share "$ida"
    "$LS_BIN" serve --home "$dir/a-home" >"$dir/a.log" 2>&1 &
    PAIR_A=$!
    PIDS+=("$PAIR_A")
    "$LS_BIN" serve --home "$dir/b-home" >"$dir/b.log" 2>&1 &
    PAIR_B=$!
    PIDS+=("$PAIR_B")
    # Ready when each node has logged that it started (event 1001: folders scanned and running) and DeviceConnected
    # (event 1102) for the other.
    for ((i = 0; ; i++)); do
        ls_ready "$dir/a.log" && ls_ready "$dir/b.log" && break
        kill -0 "$PAIR_A" 2>/dev/null || die "lockstep A exited at start: $(tail -5 "$dir/a.log")"
        kill -0 "$PAIR_B" 2>/dev/null || die "lockstep B exited at start: $(tail -5 "$dir/b.log")"
        ((i < 600)) || die "the lockstep nodes did not connect within 60 s (logs: $dir/a.log, $dir/b.log)"
        sleep 0.1
    done
    PAIR_SRC="$dir/a" PAIR_DST="$dir/b" PAIR_PIDS="$PAIR_A,$PAIR_B" PAIR_PORTS="$pa,$pb" PAIR_ARGS=() PAIR_STOP=ls_pair_stop
}

ls_pair_stop() {
    stop_pid "$PAIR_A"
    stop_pid "$PAIR_B"
}

# ---------------------------------------------------------------- Syncthing 1.19: two `syncthing serve`

st_device_xml() { # ID NAME ADDRESS: a <device> with every child of <defaults><device>
    cat <<EOF
    <device id="$1" name="$2" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>$3</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
        <maxSendKbps>0</maxSendKbps>
        <maxRecvKbps>0</maxRecvKbps>
        <maxRequestKiB>0</maxRequestKiB>
        <untrusted>false</untrusted>
        <remoteGUIPort>0</remoteGUIPort>
    </device>
EOF
}

st_config() { # HOME MY_ID PEER_ID FOLDER_PATH GUI_PORT LISTEN_PORT PEER_LISTEN_PORT WATCHER_DELAY_S
    # Hand-written (bep-v1.md §7): every child of <defaults><folder> and <defaults><device> is spelled out, since
    # omitted children become Go zero values. Watcher on at the given delay, the default order (random), fsync on,
    # rescans hourly (the default). No discovery, relays, NAT, usage or crash reporting; all on 127.0.0.1.
    {
        cat <<EOF
<configuration version="36">
    <folder id="$FOLDER" label="$FOLDER" path="$4" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="$8" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="$2" introducedBy=""><encryptionPassword></encryptionPassword></device>
        <device id="$3" introducedBy=""><encryptionPassword></encryptionPassword></device>
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
EOF
        st_device_xml "$2" self dynamic
        st_device_xml "$3" peer "tcp://127.0.0.1:$7"
        cat <<EOF
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:$5</address>
        <apikey>$ST_KEY</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:$6</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <urSeen>3</urSeen>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <reconnectionIntervalS>5</reconnectionIntervalS>
        <restartOnWakeup>false</restartOnWakeup>
        <setLowPriority>false</setLowPriority>
        <maxFolderConcurrency>0</maxFolderConcurrency>
        <insecureAllowOldTLSVersions>false</insecureAllowOldTLSVersions>
    </options>
</configuration>
EOF
    } >"$1/config.xml"
}

st_get() { curl -sf -m 10 -H "X-API-Key: $ST_KEY" "http://127.0.0.1:$1$2"; } # GUI_PORT PATH

st_pair_start() { # DIR WATCHER_DELAY_S
    local dir=$1 delay=$2 ida idb pa pb ga gb i side
    for side in a b; do
        mkdir -p "$dir/$side-home" "$dir/$side/.stfolder"
        syncthing generate --home "$dir/$side-home" --no-default-folder --skip-port-probing >"$dir/$side-generate.log" 2>&1 \
            || die "syncthing generate failed: $(tail -3 "$dir/$side-generate.log")"
    done
    ida=$(syncthing --home "$dir/a-home" --device-id 2>/dev/null) || die "syncthing --device-id failed"
    idb=$(syncthing --home "$dir/b-home" --device-id 2>/dev/null) || die "syncthing --device-id failed"
    free_ports 4
    pa=${PORTS[0]} ga=${PORTS[1]} pb=${PORTS[2]} gb=${PORTS[3]}
    st_config "$dir/a-home" "$ida" "$idb" "$dir/a" "$ga" "$pa" "$pb" "$delay"
    st_config "$dir/b-home" "$idb" "$ida" "$dir/b" "$gb" "$pb" "$pa" "$delay"
    STNOUPGRADE=1 STMONITORED=1 syncthing serve --home "$dir/a-home" --no-browser --no-restart --no-upgrade >"$dir/a.log" 2>&1 &
    PAIR_A=$!
    PIDS+=("$PAIR_A")
    STNOUPGRADE=1 STMONITORED=1 syncthing serve --home "$dir/b-home" --no-browser --no-restart --no-upgrade >"$dir/b.log" 2>&1 &
    PAIR_B=$!
    PIDS+=("$PAIR_B")
    PAIR_GA=$ga PAIR_GB=$gb
    for ((i = 0; ; i++)); do
        [[ "$(st_get "$ga" /rest/system/connections 2>/dev/null | jq -r --arg p "$idb" '.connections[$p].connected')" == true &&
            "$(st_get "$gb" /rest/system/connections 2>/dev/null | jq -r --arg p "$ida" '.connections[$p].connected')" == true ]] && break
        kill -0 "$PAIR_A" 2>/dev/null || die "syncthing A exited at start: $(tail -5 "$dir/a.log")"
        kill -0 "$PAIR_B" 2>/dev/null || die "syncthing B exited at start: $(tail -5 "$dir/b.log")"
        ((i < 600)) || die "the syncthing pair did not connect within 60 s (logs: $dir/a.log, $dir/b.log)"
        sleep 0.1
    done
    # ... and both folders idle after their (empty) initial scans.
    for ((i = 0; ; i++)); do
        [[ "$(st_get "$ga" "/rest/db/status?folder=$FOLDER" 2>/dev/null | jq -r .state)" == idle &&
            "$(st_get "$gb" "/rest/db/status?folder=$FOLDER" 2>/dev/null | jq -r .state)" == idle ]] && break
        ((i < 600)) || die "the syncthing folders did not become idle within 60 s (logs: $dir/a.log, $dir/b.log)"
        sleep 0.1
    done
    PAIR_SRC="$dir/a" PAIR_DST="$dir/b" PAIR_PIDS="$PAIR_A,$PAIR_B" PAIR_PORTS="$pa,$pb" PAIR_STOP=st_pair_stop
    PAIR_ARGS=(--st-api "http://127.0.0.1:$ga" --st-key "$ST_KEY" --st-peer "$idb")
}

st_pair_stop() {
    local gui
    for gui in "$PAIR_GA" "$PAIR_GB"; do
        curl -sf -m 10 -X POST -H "X-API-Key: $ST_KEY" "http://127.0.0.1:$gui/rest/system/shutdown" >/dev/null 2>&1 || true
    done
    stop_pid "$PAIR_A" 20
    stop_pid "$PAIR_B" 20
}

# ---------------------------------------------------------------- rsync: a daemon on 127.0.0.1 as B, one `rsync -a` per change

rsync_pair_start() { # DIR
    local dir=$1 port i fsync=""
    mkdir -p "$dir/a" "$dir/b"
    free_ports 1
    port=${PORTS[0]}
    cat >"$dir/rsyncd.conf" <<EOF
use chroot = no
uid = 0
gid = 0
[$FOLDER]
    path = $dir/b
    read only = false
EOF
    rsync --daemon --no-detach --address=127.0.0.1 --port="$port" --config="$dir/rsyncd.conf" --log-file="$dir/b.log" &
    PAIR_A=$!
    PIDS+=("$PAIR_A")
    for ((i = 0; ; i++)); do
        rsync "rsync://127.0.0.1:$port/" >/dev/null 2>&1 && break
        kill -0 "$PAIR_A" 2>/dev/null || die "the rsync daemon exited at start: $(tail -5 "$dir/b.log")"
        ((i < 100)) || die "the rsync daemon did not answer within 10 s"
        sleep 0.1
    done
    # --fsync (rsync >= 3.2.4) makes it as durable as the two sync tools, which fsync every file they write.
    rsync --help 2>&1 | grep -q -- '--fsync' && fsync=--fsync
    PAIR_SRC="$dir/a" PAIR_DST="$dir/b" PAIR_PIDS="" PAIR_PORTS="" PAIR_STOP=rsync_pair_stop
    PAIR_ARGS=(--push "rsync -a --stats $fsync $dir/a/ rsync://127.0.0.1:$port/$FOLDER/")
}

rsync_pair_stop() { stop_pid "$PAIR_A" 5; }

# ---------------------------------------------------------------- one pair, one run

declare -A VALS   # "system:key" -> space-separated values, one per run
keep() { VALS["$1:$2"]="${VALS["$1:$2"]:-}${VALS["$1:$2"]:+ }$3"; }
med() { # SYSTEM KEY -> median, or empty
    local v=${VALS["$1:$2"]:-}
    [[ -n "$v" ]] || return 0
    # shellcheck disable=SC2086
    median $v
}

label_of() {
    case $1 in
        lockstep) echo "Lockstep" ;;
        st10) echo "Syncthing 1.19, delay 10 s" ;;
        st1) echo "Syncthing 1.19, delay 1 s" ;;
        rsync) echo "rsync -a (one shot)" ;;
        disk) echo "disk write+fsync" ;;
        disk_direct) echo "disk O_DIRECT write+fsync" ;;
    esac
}

warning_lines() {
    grep -E '"LogLevel":"(Warning|Error|Critical)"|WARNING:|rsync error' "$1" | grep -v 'should not run as a privileged or system user' || true
}

run_pair() { # SYSTEM RUN BIG_SOURCE
    local sys=$1 run=$2 big=$3 dir="$WORK/$1" log="$RESULTS_DIR/sync-$1-$2.log" edits rc=0 k
    retire_tree "$dir"
    mkdir -p "$dir"
    # The big file is staged next to the folders (same file system) and renamed into A by sync-pair: it appears
    # whole at once. Staged and flushed before the pair starts, so its write-back does not land in the timing.
    cp "$big" "$dir/stage.bin"
    sync "$dir/stage.bin"
    case $sys in
        lockstep) ls_pair_start "$dir"; edits=$EDITS ;;
        st10) st_pair_start "$dir" 10; edits=$EDITS_ST10 ;;
        st1) st_pair_start "$dir" 1; edits=$EDITS ;;
        rsync) rsync_pair_start "$dir"; edits=0 ;;
    esac
    "$BENCH_BIN" sync-pair --src "$PAIR_SRC" --dst "$PAIR_DST" --pids "$PAIR_PIDS" --ports "$PAIR_PORTS" \
        --files "$SMALL_FILES" --dirs "$SMALL_DIRS" --size "$SMALL_SIZE" --big "$dir/stage.bin" --patch-bytes "$PATCH_BYTES" \
        --edits "$edits" --timeout-s "$STEP_TIMEOUT_S" --settle-max-s "$SETTLE_MAX_S" --seed "$run" --warmup-files "$WARMUP_FILES" $( ((DROP_CACHES)) && echo --drop-caches) "${PAIR_ARGS[@]}" >"$log" 2>&1 &
    # In the background and waited for, so that an INT or TERM reaches the traps at once (the EXIT trap stops it too).
    local bench_pid=$!
    PIDS+=("$bench_pid")
    wait "$bench_pid" || rc=$?
    forget_pid "$bench_pid"
    "$PAIR_STOP"
    # Keep the nodes' own logs next to the bench output (they are small), then drop the scratch.
    for k in a b; do
        if [[ -f "$dir/$k.log" ]]; then
            cp "$dir/$k.log" "$RESULTS_DIR/sync-$sys-$run-node-$k.log"
            # Lockstep logs JSON with "LogLevel"; Syncthing prefixes "WARNING:" (its warning about running as root is
            # expected here); rsync says "error".
            local warn
            warn=$(warning_lines "$dir/$k.log" | wc -l)
            if ((warn > 0)); then
                echo "  note: node $k logged $warn warning/error lines (sync-$sys-$run-node-$k.log), e.g.:"
                warning_lines "$dir/$k.log" | head -3 | cut -c1-240 | sed 's/^/    /'
            fi
        fi
    done
    retire_tree "$dir" # deleted at the end: a deletion of its 20,000 files would slow the next pair (lib.sh)
    grep -q '^RESULT ' "$log" || { tail -20 "$log" >&2; die "sync-pair for $(label_of "$sys") run $run failed (exit $rc; $log)"; }
    grep -E '^(warm-up|small|big|patch|edits|PROBLEM|  WARNING|  edit )' "$log" | sed "s/^/  /" || true
    ((rc == 0)) || echo "  WARNING: sync-pair reported problems (exit $rc): see $log"
    for k in small_s small_write_s small_cpu_a_s small_cpu_b_s rss_a_mb rss_b_mb big_mb_s big_s patch_s wire_bytes rest_bytes push_bytes \
        edit_p50_ms edit_p99_ms; do
        local v
        v=$(grep '^RESULT ' "$log" | tail -1 | tr ' ' '\n' | awk -F= -v k="$k" '$1 == k { print $2 }')
        if [[ -n "$v" ]]; then keep "$sys" "$k" "$v"; fi
    done
    keep "$sys" small_cpu_s "$(calc "$(result_field small_cpu_a_s "$log") + $(result_field small_cpu_b_s "$log")")"
    local wire
    wire=$(result_field wire_bytes "$log")
    ((wire >= 0)) || wire=$(result_field push_bytes "$log")
    keep "$sys" patch_wire "$wire"
}

# ---------------------------------------------------------------- table

# shellcheck disable=SC2059 # the format is the argument
fmt() { # VALUE PRINTF_FORMAT -> formatted, "-" when empty or negative
    if [[ -z "$1" ]] || awk -v v="$1" 'BEGIN { exit !(v < 0) }'; then echo "-"; else printf "$2" "$1"; fi
}

pair_of() { # SYSTEM KEY_A KEY_B FORMAT -> "a / b" of the medians, or "-"
    local a b
    a=$(med "$1" "$2") b=$(med "$1" "$3")
    awk -v a="$a" -v b="$b" -v f="$4" 'BEGIN { if (a == "" || a < 0) print "-"; else printf f " / " f "\n", a, b }'
}

pass() { if awk "BEGIN { exit !($1) }"; then echo "PASS"; else echo "FAIL"; fi; }

report() {
    local s disk disk_direct
    disk=$(med disk mb_s) disk_direct=$(med disk direct_mb_s)
    echo
    echo "=== results: medians of $RUNS run(s); MB = 10^6 bytes, MiB = 2^20 ==="
    printf '%-28s %8s %8s %8s %7s %10s %8s %8s %13s %13s\n' "" "small" "small" "big" "patch" "patch wire" "edit p50" "edit p99" "small CPU" "small peak"
    printf '%-28s %8s %8s %8s %7s %10s %8s %8s %13s %13s\n' "" "s" "files/s" "MB/s" "s" "MiB" "ms" "ms" "s, A / B" "RSS MB, A / B"
    printf '%-28s %8s %8s %8s %7s %10s %8s %8s %13s %13s\n' "$(label_of disk)" - - "$(fmt "$disk" %.1f)" - - - - - -
    printf '%-28s %8s %8s %8s %7s %10s %8s %8s %13s %13s\n' "$(label_of disk_direct)" - - "$(fmt "$disk_direct" %.1f)" - - - - - -
    for s in $SYSTEMS; do
        [[ $s == rsync && $HAVE_RSYNC == 0 ]] && continue
        local small fps
        small=$(med "$s" small_s)
        fps=$([[ -n "$small" ]] && calc "$SMALL_FILES / $small" "%.0f" || echo "")
        printf '%-28s %8s %8s %8s %7s %10s %8s %8s %13s %13s\n' "$(label_of "$s")" \
            "$(fmt "$small" %.2f)" "$(fmt "$fps" %s)" "$(fmt "$(med "$s" big_mb_s)" %.1f)" "$(fmt "$(med "$s" patch_s)" %.2f)" \
            "$(fmt "$([[ -n "$(med "$s" patch_wire)" ]] && calc "$(med "$s" patch_wire) / 1048576")" %.3f)" \
            "$(fmt "$(med "$s" edit_p50_ms)" %.0f)" "$(fmt "$(med "$s" edit_p99_ms)" %.0f)" \
            "$(pair_of "$s" small_cpu_a_s small_cpu_b_s %.1f)" "$(pair_of "$s" rss_a_mb rss_b_mb %.0f)"
    done
    echo "small: $SMALL_FILES x 4 KiB, from the first write on A until B holds every file with its bytes (writing alone took" \
        "$(fmt "$(med lockstep small_write_s)" %.2f) s for Lockstep, $(fmt "$(med st1 small_write_s)" %.2f) s for Syncthing delay 1);" \
        "CPU = utime+stime of each node from then until both are idle again; RSS = VmHWM (peak since start) of each node after that."
    if ((DROP_CACHES)); then echo "page cache: written back and dropped before each small step, untimed (DROP_CACHES=1)"; else echo "page cache: kept (DROP_CACHES=0)"; fi
    echo "big: $((BIG_BYTES >> 20)) MiB renamed into A whole, until B holds it. patch: 1 MiB overwritten at the middle, until B shows it;" \
        "wire = TCP payload both ways on the pair's connections (ss), from the write until both nodes are idle; rsync: its --stats."
    if [[ -n "$(med st1 rest_bytes)" ]]; then
        echo "patch wire cross-check, Syncthing's own counters (A's in+out to B): delay 1 $(fmt "$(calc "$(med st1 rest_bytes) / 1048576")" %.3f) MiB$([[ -n "$(med st10 rest_bytes)" ]] && echo ", delay 10 $(fmt "$(calc "$(med st10 rest_bytes) / 1048576")" %.3f) MiB")"
    fi
    [[ " $SYSTEMS " == *" st10 "* ]] && echo "edits: $EDITS per run ($EDITS_ST10 for Syncthing delay 10, which waits out its 10 s delay on each)."

    echo
    if [[ " $SYSTEMS " != *" lockstep "* ]]; then
        echo "targets: n/a (Lockstep not in SYSTEMS)"
        return
    fi
    local ls_small ls_big ls_patch ls_wire ls_p50 ls_p99 st_small st_big st_patch
    ls_small=$(med lockstep small_s) ls_big=$(med lockstep big_mb_s) ls_patch=$(med lockstep patch_s)
    ls_wire=$(med lockstep patch_wire) ls_p50=$(med lockstep edit_p50_ms) ls_p99=$(med lockstep edit_p99_ms)
    st_small=$(med st1 small_s) st_big=$(med st1 big_mb_s) st_patch=$(med st1 patch_s)
    echo "targets (Lockstep; against Syncthing at fsWatcherDelayS=1, its fastest):"
    if [[ -n "$st_small" ]]; then
        printf '  1. %-48s %10s   %s\n' "small files: time <= 0.3x Syncthing's" "$(calc "$ls_small / $st_small" %.2f)x" "$(pass "$ls_small <= 0.3 * $st_small")"
        printf '  2. %-48s %10s   %s\n' "big file: MB/s >= 2x Syncthing's" "$(calc "$ls_big / $st_big" %.2f)x" "$(pass "$ls_big >= 2 * $st_big")"
    else
        echo "  1./2./3. comparisons with Syncthing: n/a (st1 not in SYSTEMS)"
    fi
    printf '  2. %-48s %10s   %s\n' "big file: MB/s >= 70% of the disk write limit" "$(calc "100 * $ls_big / $disk" %.0f)%" "$(pass "$ls_big >= 0.7 * $disk")"
    if [[ -n "$disk_direct" ]] && awk "BEGIN { exit !($disk_direct > 0) }"; then
        printf '     %-48s %10s   %s\n' "(the same against the O_DIRECT disk limit)" "$(calc "100 * $ls_big / $disk_direct" %.0f)%" "(for reference)"
    fi
    printf '  3. %-48s %10s   %s\n' "patch: bytes on the wire <= 1.2 MiB" "$(calc "$ls_wire / 1048576" %.3f) MiB" "$(pass "$ls_wire >= 0 && $ls_wire <= 1.2 * 1048576")"
    [[ -n "$st_patch" ]] && printf '  3. %-48s %10s   %s\n' "patch: time <= 0.5x Syncthing's" "$(calc "$ls_patch / $st_patch" %.2f)x" "$(pass "$ls_patch <= 0.5 * $st_patch")"
    if [[ -n "$ls_p50" ]]; then
        printf '  4. %-48s %10s   %s\n' "edits: p50 <= 100 ms" "$(calc "$ls_p50" %.0f) ms" "$(pass "$ls_p50 <= 100")"
        printf '  4. %-48s %10s   %s\n' "edits: p99 <= 300 ms" "$(calc "$ls_p99" %.0f) ms" "$(pass "$ls_p99 <= 300")"
    fi
    if [[ -n "$st_small" ]]; then
        echo "  5. (no target) small files, Lockstep / Syncthing delay 1: CPU of both $(calc "$(med lockstep small_cpu_s) / $(med st1 small_cpu_s)" %.2f)x" \
            "($(fmt "$(med lockstep small_cpu_s)" %.1f) s vs $(fmt "$(med st1 small_cpu_s)" %.1f) s)," \
            "peak RSS A $(calc "$(med lockstep rss_a_mb) / $(med st1 rss_a_mb)" %.2f)x, B $(calc "$(med lockstep rss_b_mb) / $(med st1 rss_b_mb)" %.2f)x"
    fi
}

# ---------------------------------------------------------------- main

main() {
    mkdir -p "$BENCH_DIR" "$RESULTS_DIR"
    build_bench
    build_cli
    local big="$BENCH_DIR/trees/big-$((BIG_BYTES >> 20))m" free_kb need_kb
    gen_big_file "$big" "$BIG_BYTES"
    purge_retired "$WORK"
    mkdir -p "$WORK"
    # One pair at a time holds the staged copy, A's and B's copies and a temp file: ~4x the big file.
    free_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
    need_kb=$((BIG_BYTES * 4 / 1024 + SMALL_FILES * 16 * 2))
    ((free_kb > need_kb)) || die "$WORK: $((free_kb >> 20)) GiB free, the benchmark needs about $((need_kb >> 20)) GiB"
    if [[ " $SYSTEMS " == *" rsync "* && $HAVE_RSYNC == 0 ]]; then
        note "rsync not installed (apt-get install rsync): its reference row is left out"
    fi

    echo "Lockstep end-to-end sync benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src'), $(syncthing --version | cut -d' ' -f1-2)$( ((HAVE_RSYNC)) && echo ", $(rsync --version | head -1 | awk '{ print $1, $3 }')")"
    echo "two nodes on 127.0.0.1 per system, fresh homes each run; $SMALL_FILES x 4 KiB files, one $((BIG_BYTES >> 20)) MiB file, a 1 MiB patch, $EDITS edits; $RUNS run(s), systems interleaved, each run started by the next one in turn"
    wait_inode_reuse_window
    load_warning
    contention_start
    local r s
    for ((r = 1; r <= RUNS; r++)); do
        echo
        echo "--- run $r of $RUNS"
        # The systems take turns at going first (run r starts with the r-th), so whatever the machine carries over
        # from before a run (the disk measurement's 2 GiB of writes and frees, say) does not always hit the same one.
        local order=($SYSTEMS) i
        for ((i = 0; i < ${#order[@]}; i++)); do
            s=${order[(i + r - 1) % ${#order[@]}]}
            [[ $s == rsync && $HAVE_RSYNC == 0 ]] && continue
            echo "$(label_of "$s"):"
            sync -f "$WORK"
            run_pair "$s" "$r" "$big/big.bin"
            measure_disk "$r-$((i + 1))"
        done
    done
    report
    echo
    contention_report
}

# The disk's write limit, measured after every system's pair rather than once per run: this machine's virtual
# disk swings by a factor of four from one 1 GiB write to the next (279 to 1325 MB/s within one run), so the limit
# is the median of all these, taken in the same conditions the systems ran in.
measure_disk() { # TAG
    local dlog="$RESULTS_DIR/sync-disk-$1.log"
    sync -f "$WORK"
    "$BENCH_BIN" disk-write --dir "$WORK" --bytes "$BIG_BYTES" >"$dlog" 2>&1 || { cat "$dlog" >&2; die "disk-write failed"; }
    keep disk mb_s "$(result_field mb_per_s "$dlog")"
    keep disk direct_mb_s "$(result_field direct_mb_per_s "$dlog")"
    echo "  $(label_of disk): $(calc "$(result_field mb_per_s "$dlog")" %.1f) MB/s; O_DIRECT: $(calc "$(result_field direct_mb_per_s "$dlog")" %.1f) MB/s ($((BIG_BYTES >> 20)) MiB, 1 MiB writes, one fsync)"
}

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/sync-$(date -u +%Y%m%dT%H%M%SZ).txt"
# Not "main | tee": that would run main in a subshell, out of reach of the EXIT trap's PID list.
exec > >(tee "$OUT") 2>&1
main "$@"
echo "(output saved to $OUT; per-run logs in $RESULTS_DIR/sync-*-N.log)"
