# shellcheck shell=bash
# Shared helpers for bench/run.sh: logging, the processes this run started, /proc accounting.
# Sourced, not run.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Every background process this run started, so the trap can end exactly those.
STARTED_PIDS=()

# start_bg LOGFILE CMD...: runs CMD in the background (its pid in $LAST_PID), output to LOGFILE.
start_bg() {
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
}

# stop_pid PID: ends one process this run started and waits for it.
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=()
  for i in "${STARTED_PIDS[@]}"; do
    [[ $i == "$pid" ]] || kept+=("$i")
  done
  STARTED_PIDS=("${kept[@]+"${kept[@]}"}")
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]+"${STARTED_PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]+"${STARTED_PIDS[@]}"}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_http URL [EXPECTED_STATUS] [TIMEOUT_S]: polls until URL answers with the status.
wait_http() {
  local url=$1 want=${2:-200} timeout=${3:-30} i code
  for i in $(seq 1 $((timeout * 10))); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
    [[ $code == "$want" ]] && return 0
    sleep 0.1
  done
  return 1
}

# proc_tree PID: PID and its children (nginx's workers).
proc_tree() {
  echo "$1"
  ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' || true
}

# cpu_ticks PID...: user+system clock ticks of all threads of the processes, summed.
cpu_ticks() {
  local pid total=0 stat fields
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    # after the ")" that ends the command name come fields 3, 4, ...: utime is 14, stime 15
    read -r -a fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

# hwm_kb PID...: peak resident set (VmHWM) of the processes, summed.
hwm_kb() {
  local pid total=0 kb
  for pid in "$@"; do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# reset_hwm PID...: restarts the peak-RSS count from the current RSS (Linux: clear_refs 5).
reset_hwm() {
  local pid
  for pid in "$@"; do
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  done
}

# core_busy_ticks CPU: busy (non-idle, non-iowait) ticks of one core from /proc/stat.
core_busy_ticks() {
  awk -v cpu="cpu$1" '$1 == cpu {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# json_num JSON KEY: a numeric field of a flat JSON object.
json_num() {
  sed -n "s/.*\"$2\":\([-0-9.e+]*\).*/\1/p" <<<"$1"
}

# thread_ticks PID: "TID TICKS NAME" for every thread of a process (user+system clock ticks).
thread_ticks() {
  local task stat fields
  for task in /proc/"$1"/task/*; do
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    read -r -a fields <<<"${stat##*) }"
    echo "${task##*/} $((fields[11] + fields[12])) $(tr ' ' '_' <"$task/comm")"
  done
}

# jit_ticks PID: clock ticks the JIT's compiler threads (C1, C2) of a JVM have used.
jit_ticks() {
  thread_ticks "$1" | awk '$3 ~ /^C[12]_Compiler/ {t += $2} END {print t + 0}'
}

# thread_cpu_table BEFORE AFTER SECONDS: Markdown of the CPU each thread (grouped by name, digits
# dropped) used between two thread_ticks snapshots, in percent of one core.
thread_cpu_table() {
  echo "| thread | CPU (% of one core) |"
  echo "| --- | ---: |"
  awk -v hz="$CLK_TCK" -v secs="$3" '
    NR == FNR { before[$1] = $2; next }
    { name = $3; gsub(/[0-9]+/, "N", name); used[name] += $2 - before[$1] }
    END { for (n in used) if (used[n] > 0) printf "| %s | %.1f%% |\n", n, used[n] / hz / secs * 100 }
  ' "$1" "$2" | sort -t'|' -k3 -rn
}
