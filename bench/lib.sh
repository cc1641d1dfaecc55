# Shared helpers for bench/run-*.sh (sourced, not executed). See bench/README.md.
# shellcheck shell=bash

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_HERE")
export BENCH_DIR=${BENCH_DIR:-/tmp/lockstep-bench}
# The bench app builds into its own artifacts tree (under the scratch dir) so it never races other builds.
export LOCKSTEP_ARTIFACTS=${LOCKSTEP_ARTIFACTS:-$BENCH_DIR/artifacts}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_HERE/results}
BENCH_BIN="$LOCKSTEP_ARTIFACTS/bin/Lockstep.Bench/release/Lockstep.Bench"
NPROC=$(nproc)

die() { echo "error: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

# median N... -> the median (mean of the two middle values for an even count)
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END { if (NR == 0) exit 1; if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'
}

# calc EXPR -> awk arithmetic, printed with %.6g unless a format is given as $2
calc() { awk -v fmt="${2:-%.6g}" "BEGIN { printf fmt \"\\n\", ($1) }"; }

now() { date +%s.%N; }

# result_field KEY FILE -> the value of KEY on the last "RESULT ..." line of FILE
result_field() {
    local line
    line=$(grep '^RESULT ' "$2" | tail -1) || die "no RESULT line in $2 (see that file)"
    tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2); found = 1 } END { exit !found }' \
        || die "RESULT line in $2 has no '$1'"
}

# cpu_busy_pct -> share of all cores busy over one second (whoever uses them), from /proc/stat
cpu_busy_pct() {
    local a b
    a=$(head -1 /proc/stat)
    sleep 1
    b=$(head -1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        na = split(a, x, " "); split(b, y, " ");
        for (i = 2; i <= 9; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
        printf "%.0f\n", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

# load_warning: how busy the machine is right before a measurement. With WAIT_IDLE_S=N (default 0) it first waits
# up to N seconds for 5 quiet seconds in a row (cores at most 20% busy). Builds by other users come in bursts, so
# a quiet moment before is no promise: contention_report measures what really happened during the measurement.
load_warning() {
    local busy quiet=0 deadline=$((SECONDS + ${WAIT_IDLE_S:-0}))
    busy=$(cpu_busy_pct)
    if ((${WAIT_IDLE_S:-0} > 0)); then
        while ((SECONDS < deadline)); do
            if ((busy <= 20)); then quiet=$((quiet + 1)); else quiet=0; fi
            ((quiet >= 5)) && break
            busy=$(cpu_busy_pct)
        done
    fi
    echo "machine: $NPROC cores, load average $(cut -d' ' -f1-3 /proc/loadavg), cores ${busy}% busy (1 s sample) before measuring"
    if ((busy > 20)); then
        echo "WARNING: other processes keep the cores ${busy}% busy: wall-clock figures will be low and noisy (WAIT_IDLE_S=600 waits for a quiet machine)"
    fi
}

# Contention accounting: the CPU that processes other than this script and its children used while we measured,
# = busy ticks of the whole machine (/proc/stat) minus our own children's CPU time (bash `times`, which counts
# every finished child and its waited-for descendants). contention_start, measure, then contention_report.
_busy_ticks() { head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9 }'; }
# `times` must run in this shell, not in $(...): a subshell starts with its own, empty, accounting.
_own_cpu_s() {
    times >"$BENCH_DIR/.times"
    awk '{ for (i = 1; i <= NF; i++) { split($i, p, "m"); sub(/s$/, "", p[2]); s += p[1] * 60 + p[2] } } END { printf "%.3f\n", s }' "$BENCH_DIR/.times"
}
contention_start() { CONT_T0=$(now); CONT_B0=$(_busy_ticks); _own_cpu_s >"$BENCH_DIR/.own0"; CONT_O0=$(cat "$BENCH_DIR/.own0"); }
contention_report() {
    local t1 b1 o1 hz others
    t1=$(now); b1=$(_busy_ticks); _own_cpu_s >"$BENCH_DIR/.own1"; o1=$(cat "$BENCH_DIR/.own1"); hz=$(getconf CLK_TCK)
    others=$(awk -v t0="$CONT_T0" -v t1="$t1" -v b0="$CONT_B0" -v b1="$b1" -v o0="$CONT_O0" -v o1="$o1" -v hz="$hz" \
        'BEGIN { c = ((b1 - b0) / hz - (o1 - o0)) / (t1 - t0); if (c < 0) c = 0; printf "%.2f\n", c }')
    CONT_OTHERS=$others
    echo "contention: other processes used on average $others of $NPROC cores while this was measured ($(calc "$t1 - $CONT_T0" "%.0f") s)"
    if awk -v c="$others" 'BEGIN { exit !(c > 0.2) }'; then
        echo "WARNING: the figures above are depressed by other load; rerun on a quiet machine (WAIT_IDLE_S=600 helps only partly)"
    fi
}

build_bench() {
    mkdir -p "$BENCH_DIR"
    if [[ "${BENCH_NO_BUILD:-0}" == 1 ]]; then
        [[ -x "$BENCH_BIN" ]] || die "BENCH_NO_BUILD=1 but $BENCH_BIN is missing"
        note "BENCH_NO_BUILD=1: using the existing $BENCH_BIN (built $(date -u -r "$BENCH_BIN" +%Y-%m-%dT%H:%M:%SZ))"
        return
    fi
    command -v dotnet >/dev/null || die "dotnet not found"
    local log="$BENCH_DIR/build.log"
    note "building bench/Lockstep.Bench (Release) into $LOCKSTEP_ARTIFACTS ..."
    if ! dotnet build "$BENCH_HERE/Lockstep.Bench" -c Release -nologo >"$log" 2>&1; then
        grep -E 'error|Error' "$log" | sort -u | head -20 >&2
        die "build failed (full log: $log); if src/ is mid-change, wait and retry"
    fi
    [[ -x "$BENCH_BIN" ]] || die "built, but $BENCH_BIN is missing"
}

# gen_small_tree DIR DIRS FILES_PER_DIR BYTES_PER_FILE: random files, generated once and reused.
gen_small_tree() {
    local dir=$1 dirs=$2 per=$3 size=$4 d
    local stamp="$dir.complete"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$dirs x $per x $size" ]]; then
        note "reusing $dir"
        return
    fi
    note "generating $dir: $dirs dirs x $per files x $size bytes ..."
    rm -rf "$dir" "$stamp"
    mkdir -p "$dir/.stfolder"
    for ((d = 0; d < dirs; d++)); do
        local sub
        sub=$(printf '%s/d%04d' "$dir" "$d")
        mkdir -p "$sub"
        # one read of urandom per directory, cut into equal files f0000, f0001, ...
        head -c $((per * size)) /dev/urandom | split -b "$size" -d -a 4 - "$sub/f"
    done
    echo "$dirs x $per x $size" >"$stamp"
}

# gen_big_file DIR BYTES: one random file DIR/big.bin, generated once and reused.
gen_big_file() {
    local dir=$1 bytes=$2
    local stamp="$dir.complete"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$bytes" && -f "$dir/big.bin" ]]; then
        note "reusing $dir"
        return
    fi
    note "generating $dir/big.bin ($bytes bytes) ..."
    rm -rf "$dir" "$stamp"
    mkdir -p "$dir/.stfolder"
    head -c "$bytes" /dev/urandom >"$dir/big.bin"
    echo "$bytes" >"$stamp"
}

# tree_stats DIR -> "FILES BYTES" of the regular files, the .st* markers excluded
tree_stats() {
    find "$1" -path "$1/.st*" -prune -o -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d %d\n", n, b }'
}

warm_cache() {
    find "$1" -path "$1/.st*" -prune -o -type f -print0 | xargs -0 cat >/dev/null
}

# ---------------------------------------------------------------- many-file trees: set aside, deleted at the end
# On ext4 without a journal (this machine's root file system), a new file is not given an inode freed less than
# 60 s ago (360 s while its inode-table block is not yet written back) when that block is in the buffer cache, and
# every create scans again over all the inodes it skipped. DROP_CACHES (run-sync.sh) empties the cache, but each
# create reads its block back in, so right after a run deleted its 20,000 files every create in the next one still
# cost 300-600 us of kernel CPU instead of 20-35 us, paid by the writer and by both nodes: the same binary's
# 10,000-file sync took 5.8 s right after such a deletion and 4.3 s (writer 1.6 instead of 3.7 s) 70 s after one
# (medians of 3). So a finished run's trees are set aside (retire_tree, a rename) and deleted when the benchmark
# ends (purge_retired, then a sync so the 60 s apply), and a benchmark started within 60 s of an earlier one's
# purge waits the rest (wait_inode_reuse_window).
RETIRED_DIR="$BENCH_DIR/retired"
LAST_PURGE_FILE="$BENCH_DIR/.last-mass-delete"

# retire_tree DIR: DIR's files over 1 MiB are deleted (few inodes, most of the space), the rest is renamed aside.
retire_tree() {
    local dir=$1
    [[ -e "$dir" ]] || return 0
    find "$dir" -type f -size +1M -delete 2>/dev/null || true
    mkdir -p "$RETIRED_DIR"
    mv "$dir" "$RETIRED_DIR/$(date +%s%N)-$(basename "$dir")"
}

# purge_retired [PATH...]: deletes what retire_tree set aside (and the PATHs), syncs, and notes when.
purge_retired() {
    local any=0 p
    for p in "$RETIRED_DIR" "$@"; do
        [[ -e "$p" ]] || continue
        rm -rf "$p"
        any=1
    done
    ((any == 0)) && return 0
    sync -f "$BENCH_DIR" 2>/dev/null || sync
    date +%s >"$LAST_PURGE_FILE"
}

# wait_inode_reuse_window: sleeps until the last purge is more than 60 s in the past.
wait_inode_reuse_window() {
    [[ -f "$LAST_PURGE_FILE" ]] || return 0
    local left
    left=$(($(cat "$LAST_PURGE_FILE" 2>/dev/null || echo 0) + 62 - $(date +%s)))
    if ((left > 0)); then
        note "waiting ${left} s: files were deleted in bulk $((62 - left)) s ago, and until 60 s have passed ext4 creates new files slowly"
        sleep "$left"
    fi
}
