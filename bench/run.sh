#!/usr/bin/env bash
# Tollgate against the proxies a platform team would otherwise use, in one run on this machine:
#   direct   wrk -> sink (the floor)
#   nginx    plain reverse proxy, keep-alive upstream
#   haproxy  HAProxy 2.6 verifying the RS256 JWT on every request (jwt_verify + iss/aud/exp/group ACLs)
#   tollgate everything on: tokens, policy, OTLP resource inspection, provenance, audit file
# over the scenarios small, large, gzip, json, mix, callers and query, plus the small batch's p99
# at a constant half of Tollgate's peak rate, plus interleaved rounds of the small batch (Tollgate,
# HAProxy and nginx back to back, and the bare proxies "vertx" and "netty" when among the peers, ROUNDS
# times) so that the same-run ratios come with their spread.
# Results: bench/results/<timestamp>/ (summary.md, runs.jsonl) and, for a full run, the generated
# part of bench/RESULTS.md. Loopback only.
#
# usage: bench/run.sh [--quick] [--no-build] [--peers "tollgate haproxy nginx direct"]
#                     [--scenarios "small large ..."] [--no-profile]
# (optional peer "vertx": a bare proxy on Tollgate's stack, Vert.x's server and Tollgate's upstream
# connections with no security: the floor of that stack; optional peer "netty": the same with Netty's
# HTTP codec in place of Vert.x's server, on the same event loop and upstream: what that server costs)
# environment (seconds unless said): DURATION of a run; WARMUP before each run of nginx, HAProxy
# and direct; WARMUP_JVM and WARMUP_JVM_MAX, the least and the most of Tollgate's (it lasts until
# its JIT settles); WARMUP_JIT, Tollgate's small-batch warm-up before its first run;
# PROFILE_WARMUP and PROFILE_SCENARIOS (JFR-profiled scenarios, default small); CONNECTIONS;
# THREADS per peer; PEER_CPUS and LOAD_CPUS (taskset lists); CALLERS (distinct tokens); ROUNDS;
# QUIET_WAIT / QUIET_WAIT_RUN / QUIET_BUDGET (waiting for other work on the machine to stop, before
# each peer / run / in all); TOLLGATE_JAVA_OPTS (also the bare proxies'; default: the Dockerfile ENTRYPOINT's
# JVM flags); TOLLGATE_ENV (Tollgate's environment, "NAME=value ..."; default: the Dockerfile's ENV
# lines, MALLOC_ARENA_MAX); SINK_PORT, NGINX_PORT, HAPROXY_PORT, TOLLGATE_PORT, VERTX_PORT, NETTY_PORT; TOLLGATE_JAR (another
# build of Tollgate, e.g. a baseline to compare);
# IDLE_SPIN, Tollgate's server.idle_spin; LATENCY_RATE, the latency runs' rate (default: half of
# Tollgate's small-batch peak; set it to measure other peers at a rate without Tollgate);
# LATENCY_OF, the peer whose small-batch peak is halved for that rate (default tollgate; e.g. nginx,
# to measure what the p99 target asks of a proxy on this machine, at half of nginx's own peak).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=lib/common.sh
source "$BENCH/lib/common.sh"
# shellcheck source=lib/prepare.sh
source "$BENCH/lib/prepare.sh"
# shellcheck source=lib/peers.sh
source "$BENCH/lib/peers.sh"
# shellcheck source=lib/measure.sh
source "$BENCH/lib/measure.sh"

QUICK=0 BUILD=1 PROFILE=1 FULL=1
PEERS="tollgate direct nginx haproxy"
SCENARIOS=$SCENARIOS_ALL

parse_args() {
  while (($#)); do
    case $1 in
      --quick) QUICK=1 ;;
      --no-build) BUILD=0 ;;
      --no-profile) PROFILE=0 ;;
      --peers) PEERS=$2 FULL=0; shift ;;
      --scenarios) SCENARIOS=$2 FULL=0; shift ;;
      -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
      *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
  done
  # LATENCY_OF (tollgate) goes first: its small-batch peak sets the rate of everyone's latency run
  : "${LATENCY_OF:=tollgate}"
  if [[ " $PEERS " == *" $LATENCY_OF "* ]]; then
    PEERS="$LATENCY_OF $(tr ' ' '\n' <<<"$PEERS" | { grep -vx "$LATENCY_OF" || true; } | tr '\n' ' ')"
  fi
}

# The JVM flags of the container image: the Dockerfile ENTRYPOINT's words between "java" and "-jar".
image_java_opts() {
  local opts
  opts=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' "$ROOT/Dockerfile" | tr -d '",')
  [[ -n $opts ]] || die "Dockerfile: no ENTRYPOINT [\"java\", ..., \"-jar\", ...] to take the JVM flags from"
  echo "$opts"
}

# The environment of the container image: the Dockerfile's last stage's "ENV NAME=value" lines.
# Any other form of ENV there stops the run: the bench must not measure another environment.
image_env() {
  local lines pairs
  lines=$(sed -n '/^FROM /h; /^ENV /H; ${x; p}' "$ROOT/Dockerfile" | grep '^ENV' || true)
  pairs=$(sed -n 's/^ENV \([A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.:\/-]*\)$/\1/p' <<<"$lines")
  [[ $(grep -c . <<<"$lines") == $(grep -c . <<<"$pairs") ]] \
    || die "Dockerfile: an ENV line of the last stage is not one plain NAME=value: $lines"
  echo $pairs
}

settings() {
  if ((QUICK)); then
    : "${DURATION:=2}" "${WARMUP:=1}" "${WARMUP_JVM:=2}" "${WARMUP_JVM_MAX:=2}" "${WARMUP_JIT:=4}"
    : "${PROFILE_WARMUP:=3}"
    : "${CALLERS:=2000}" "${QUIET_WAIT:=0}" "${QUIET_WAIT_RUN:=0}" "${QUIET_BUDGET:=0}" "${ROUNDS:=1}"
  fi
  # Defaults: 3 peers x (7 x (2 s + 6 s) + latency 8 s), Tollgate 60 s JIT warm-up + 7 x (6-30 s
  # + 6 s) + latency, 3 rounds x (6 s + 6 s + 2 x (2 s + 6 s)), and Tollgate's profile run (45 s +
  # 6 s + 6 s): about 10 minutes in all.
  # The JIT warm-up is 60 s, not the 40 s Tollgate needs to reach its rate: about 60 s after the
  # start the first idle upstream connection reaches the client's 60 s idle timeout and closes.
  # That first close sends Netty's write path down branches its compiled code never saw; it is
  # deoptimised and C2 recompiles it, taking half the core for ~350 ms (RESULTS.md). With 40 s this
  # fell inside the latency run's window, every time. A long-running proxy pays it once. With 60 s
  # it falls in the small batch's own warm-up, which lasts until the JIT has settled again.
  : "${DURATION:=6}" "${WARMUP:=2}" "${WARMUP_JVM:=6}" "${WARMUP_JVM_MAX:=30}" "${WARMUP_JIT:=60}"
  : "${PROFILE_WARMUP:=45}"
  : "${CONNECTIONS:=32}" "${THREADS:=1}" "${PROFILE_SCENARIOS:=small}"
  : "${WRK_THREADS:=1}" "${CALLERS:=20000}" "${PEER_CPUS:=0}" "${LOAD_CPUS:=1}" "${QUIET_WAIT:=20}"
  : "${QUIET_WAIT_RUN:=10}" "${QUIET_BUDGET:=90}" "${ROUNDS:=3}"
  : "${SINK_PORT:=18480}" "${NGINX_PORT:=18481}" "${HAPROXY_PORT:=18482}" "${TOLLGATE_PORT:=18483}"
  # Tollgate's server.idle_spin is measured as shipped, off; IDLE_SPIN=50us measures it on
  # (RESULTS.md: it helps at low rates, and made no difference that could be told from the noise
  # at half of the peak)
  : "${VERTX_PORT:=18484}" "${NETTY_PORT:=18485}" "${IDLE_SPIN:=0us}"
  # the container image's JVM flags, read from the Dockerfile's ENTRYPOINT so the two cannot part
  if [[ -z ${TOLLGATE_JAVA_OPTS:-} ]]; then
    TOLLGATE_JAVA_OPTS=$(image_java_opts)
  fi
  # and its environment (MALLOC_ARENA_MAX), which peak RSS depends on
  if [[ -z ${TOLLGATE_ENV+set} ]]; then
    TOLLGATE_ENV=$(image_env)
  fi
  if (($(nproc) < 2)); then
    PEER_CPUS=0 LOAD_CPUS=0
    log "one core only: load, sink and peer share it"
  fi
  CLK_TCK=$(getconf CLK_TCK)
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  ((QUICK)) && stamp=$stamp-quick
  RUN=$BENCH/results/$stamp
  WORK=$RUN/work
  mkdir -p "$WORK" "$BENCH/.work"
  : >"$RUN/runs.jsonl"
}

# What the machine was and did, for the report.
describe_machine() {
  {
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) x $(nproc)"
    echo "memory=$(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel=$(uname -r)"
    echo "java=$(java -version 2>&1 | head -1)"
    echo "nginx=$(nginx -v 2>&1)"
    echo "haproxy=$HAPROXY_VERSION"
    echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "worktree_changes=$(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    # top's second sample is over the last half second (its first is since boot)
    echo "busy_processes_before=$(top -bn2 -d 0.5 | awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9 > 5 {printf "%s(%s%%) ", $12, $9}')"
    local setting
    for setting in QUICK DURATION WARMUP WARMUP_JVM WARMUP_JVM_MAX WARMUP_JIT PROFILE_WARMUP PROFILE_SCENARIOS CONNECTIONS THREADS \
      WRK_THREADS PEER_CPUS LOAD_CPUS CALLERS QUIET_WAIT QUIET_WAIT_RUN QUIET_BUDGET IDLE_SPIN ROUNDS; do
      echo "$(tr '[:upper:]' '[:lower:]' <<<"$setting")=${!setting}"
    done
    echo "tollgate_java_opts=$TOLLGATE_JAVA_OPTS"
    echo "tollgate_env=$TOLLGATE_ENV"
  } >"$RUN/machine.properties"
}

# run_peer PEER: every scenario against one peer, with its latency run right after the small
# batch (and Tollgate's profile after it is done).
run_peer() {
  local peer=$1 scenario
  log "$peer"
  wait_quiet "$QUIET_WAIT"
  # timenanos is CLOCK_MONOTONIC, pace's clock: the report lines slow answers up with safepoints;
  # filecount=0: one file, never rotated (the report reads only this one)
  TOLLGATE_EXTRA_OPTS="-Xlog:gc,safepoint:file=$RUN/tollgate-gc.log:uptime,timenanos,level,tags:filecount=0" start_peer "$peer"
  [[ $peer == tollgate ]] && detect_query
  if jvm_peer "$peer"; then
    warm_up_jit "$peer" "$PEER_PORT" "$WARMUP_JIT"
  fi
  for scenario in $SCENARIOS; do
    if [[ $scenario == query && -n $QUERY_SKIP ]]; then
      continue
    fi
    measure "$peer" "$scenario"
    [[ $scenario == small ]] && latency_run "$peer"
  done
  [[ $peer == tollgate && " $SCENARIOS " == *" small "* ]] && interleaved_rounds
  if [[ $peer == tollgate ]]; then
    cp "$WORK/tollgate.yaml" "$RUN/tollgate.yaml"
    du -h "$WORK/audit.jsonl" | awk '{print "audit_log_size=" $1}' >>"$RUN/machine.properties"
    # The audit file goes at the end (hundreds of MB): keep the first answers that were not 200,
    # so a run's "errors" column can be read (status and reason).
    { grep -v '"status":200,' "$WORK/audit.jsonl" || true; } | head -20 >"$RUN/tollgate-not-200.jsonl"
  fi
  stop_peer
  # Gone as soon as Tollgate stops, not at the end: the file's gigabytes of page cache would
  # otherwise sit there while the other peers are measured, and the guest's DAMON reclaims cold page
  # cache in bursts every ~5 s on whichever core it lands (results/20261122T132000Z-latency-stalls/).
  [[ $peer == tollgate ]] && rm -f "$WORK/audit.jsonl"
  if [[ $peer == tollgate ]] && ((PROFILE)); then
    profile_tollgate
  fi
}

# interleaved_rounds: with Tollgate still running and warm, starts HAProxy and nginx next to it, and
# the bare proxy when it is among the peers (Tollgate's stack with nothing on it: the floor, seconds
# from Tollgate) (each on the peers' core, idle while another is measured) and measures the small batch against
# them back to back, ROUNDS times, each round starting with the next peer. Minutes pass between
# one peer's pass and the next; here a pair is seconds apart, so the ratios of the rounds show how
# far the machine moves them (RESULTS.md: the same jar moved 45% between two full runs).
interleaved_rounds() {
  local peers=(tollgate) peer round i n
  local -A pid=([tollgate]=$PEER_PID) port=([tollgate]=$PEER_PORT)
  for peer in haproxy nginx vertx netty; do
    [[ " $PEERS " == *" $peer "* ]] && peers+=("$peer")
  done
  ((ROUNDS > 0 && ${#peers[@]} > 1)) || return 0
  log "interleaved rounds: ${peers[*]}, $ROUNDS times"
  for peer in "${peers[@]:1}"; do
    start_peer "$peer"
    pid[$peer]=$PEER_PID port[$peer]=$PEER_PORT
  done
  n=${#peers[@]}
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < n; i++)); do
      peer=${peers[$(((round - 1 + i) % n))]}
      PEER_PID=${pid[$peer]} PEER_PORT=${port[$peer]}
      ROUND=$round measure "$peer" small
    done
  done
  for peer in "${peers[@]:1}"; do
    stop_pid "${pid[$peer]}"
  done
  PEER_PID=${pid[tollgate]} PEER_PORT=${port[tollgate]}
}

# latency_run PEER: the constant-rate run at half of LATENCY_OF's small-batch peak (measured first).
latency_run() {
  local peer=$1 peak
  if [[ $peer == "$LATENCY_OF" && -z $LATENCY_RATE ]]; then
    peak=$(sed -n "s/.*\"peer\":\"$peer\",\"scenario\":\"small\",\"rps\":\([0-9.]*\).*/\1/p" "$RUN/runs.jsonl")
    [[ -n $peak ]] || return 0
    LATENCY_RATE=$(awk -v p="$peak" 'BEGIN {printf "%d", p / 2}')
    printf 'latency_rate=%s\nlatency_of=%s\n' "$LATENCY_RATE" "$peer" >>"$RUN/machine.properties"
  fi
  [[ -n $LATENCY_RATE ]] && measure_latency "$peer" "$LATENCY_RATE"
  return 0
}

report() {
  if [[ -n ${QUERY_SKIP:-} ]]; then
    echo "{\"scenario\":\"query\",\"skipped\":\"$QUERY_SKIP\"}" >>"$RUN/runs.jsonl"
  fi
  top -bn1 | head -15 >"$RUN/top-after.txt"
  rm -f "$WORK/audit.jsonl" # hundreds of MB; its size is in machine.properties
  java -cp "$BENCH_JAR" dev.tollgate.bench.gen.Report "$RUN" >"$RUN/summary.md"
  if ((QUICK == 0 && FULL == 1)); then
    java -cp "$BENCH_JAR" dev.tollgate.bench.gen.Report "$RUN" --update "$BENCH/RESULTS.md"
    log "updated bench/RESULTS.md"
  fi
  log "results: $RUN/summary.md"
}

main() {
  parse_args "$@"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  settings
  local started=$SECONDS
  install_tools
  build_all
  make_tokens
  make_payloads
  build_pace
  render_configs
  describe_machine
  log "peers on cpu $PEER_CPUS, wrk and sink on cpu $LOAD_CPUS; ${DURATION}s runs after ${WARMUP}s warm-up"
  start_sink
  LATENCY_RATE=${LATENCY_RATE:-} # set: the constant rate of the latency runs, instead of half of LATENCY_OF's peak
  [[ -z $LATENCY_RATE ]] || printf 'latency_rate=%s\nlatency_of=given\n' "$LATENCY_RATE" >>"$RUN/machine.properties"
  QUERY_SKIP="not measured: Tollgate was not among the peers" QUERY_PATH=""
  local peer
  for peer in $PEERS; do
    run_peer "$peer"
  done
  echo "elapsed_s=$((SECONDS - started))" >>"$RUN/machine.properties"
  report
}

main "$@"
