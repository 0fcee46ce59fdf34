# shellcheck shell=bash
# Scenarios and measurements for bench/run.sh. Sourced.
# Each measured run appends one JSON object to $RUN/runs.jsonl.

SCENARIOS_ALL="small large gzip json mix callers query"
INGEST_PATH=/projects/shop/v1/traces

# scenario_env NAME: the request of a scenario, as the variables bench/wrk/scenario.lua reads.
scenario_env() {
  export BENCH_METHOD=POST BENCH_PATH=$INGEST_PATH BENCH_HEADERS="Content-Type: application/x-protobuf"
  export BENCH_BODY=$PAYLOADS/small.pb BENCH_TOKENS=$KEYS/writer.jwt
  case $1 in
    small) ;;
    large) BENCH_BODY=$PAYLOADS/large.pb ;;
    gzip) BENCH_BODY=$PAYLOADS/small.pb.gz BENCH_HEADERS="$BENCH_HEADERS|Content-Encoding: gzip" ;;
    json) BENCH_BODY=$PAYLOADS/small.json BENCH_HEADERS="Content-Type: application/json" ;;
    mix) BENCH_BODY=$PAYLOADS/mix.pb ;;
    callers) BENCH_TOKENS=$KEYS/callers.jwt ;;
    query)
      BENCH_METHOD=GET BENCH_PATH=$QUERY_PATH BENCH_BODY="" BENCH_TOKENS=$KEYS/reader.jwt
      BENCH_HEADERS="X-Tollgate-Project: shop"
      ;;
    *) die "unknown scenario $1" ;;
  esac
}

# preflight PORT: the status one request of the current scenario gets (must be 200 to measure).
preflight() {
  local args=(-s -o "$WORK/preflight.body" -w '%{http_code}' --max-time 10 -X "$BENCH_METHOD")
  local header
  IFS='|' read -r -a headers <<<"$BENCH_HEADERS"
  for header in "${headers[@]}"; do args+=(-H "$header"); done
  args+=(-H "Authorization: Bearer $(head -1 "$BENCH_TOKENS")")
  [[ -n $BENCH_BODY ]] && args+=(--data-binary "@$BENCH_BODY")
  curl "${args[@]}" "http://127.0.0.1:$1$BENCH_PATH" || echo 000
}

# run_wrk PORT SECONDS: runs the current scenario; prints wrk's BENCH_RESULT JSON.
run_wrk() {
  taskset -c "$LOAD_CPUS" wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 10s \
    -s "$BENCH/wrk/scenario.lua" "http://127.0.0.1:$1" >"$WORK/wrk.out" 2>&1 || true
  sed -n 's/^BENCH_RESULT //p' "$WORK/wrk.out"
}

# warm_up PORT SECONDS: the current scenario's request, results discarded.
warm_up() {
  BENCH_TOKENS=$(warm_up_tokens) run_wrk "$1" "$2" >/dev/null
}

# warm_up_jit PEER PORT SECONDS: the small batch for SECONDS, in 4 s slices whose rates go to
# warmup.tsv, so that the report shows how long the JIT needed (on one core it compiles on the
# core that serves: about 40 s for Tollgate to reach its steady rate).
warm_up_jit() {
  local peer=$1 port=$2 seconds=$3 spent=0 rate
  scenario_env small
  while ((spent < seconds)); do
    rate=$(run_wrk "$port" 4 | json_num_stdin requests)
    spent=$((spent + 4))
    echo -e "$peer\tsmall\t$spent\t$((${rate:-0} / 4))" >>"$RUN/warmup.tsv"
  done
}

# warm_up_settled PORT: warms a JVM peer up with the current scenario until its JIT has settled, in
# 2 s slices: at least WARMUP_JVM seconds, then until a slice in which its compiler threads took
# under 5% of the slice, at most WARMUP_JVM_MAX seconds. Prints the seconds spent. A scenario with
# code paths of its own (the callers' signature checks, the query filter) otherwise had the JIT
# compiling through its measured window: up to 2.2 s of 6 s (RESULTS.md).
warm_up_settled() {
  local port=$1 spent=0 before after
  while :; do
    before=$(jit_ticks "$PEER_PID")
    warm_up "$port" 2
    after=$(jit_ticks "$PEER_PID")
    spent=$((spent + 2))
    if ((spent >= WARMUP_JVM_MAX || (spent >= WARMUP_JVM && (after - before) * 10 < CLK_TCK))); then
      break
    fi
  done
  echo "$spent"
}

# warm_up_tokens: the callers scenario warms up with other callers' tokens, so that the measured
# tokens are all new when the measurement starts; every other scenario with its own.
warm_up_tokens() {
  if [[ $BENCH_TOKENS == "$KEYS/callers.jwt" ]]; then echo "$KEYS/callers-warmup.jwt"; else echo "$BENCH_TOKENS"; fi
}

json_num_stdin() {
  sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p"
}

# snapshot PIDS...: "peer_ticks core_peer_busy core_load_busy uptime_centis" now.
snapshot() {
  local first_peer_cpu=${PEER_CPUS%%[,-]*} first_load_cpu=${LOAD_CPUS%%[,-]*}
  echo "$(cpu_ticks "$@") $(core_busy_ticks "$first_peer_cpu") $(core_busy_ticks "$first_load_cpu") \
$(awk '{printf "%d", $1 * 100}' /proc/uptime)"
}

# measure PEER SCENARIO: one measured run of a scenario against the running peer. With ROUND set,
# the run is one of the interleaved rounds (run.sh) and is tagged with it. For a JVM the run also
# records how much CPU its JIT compiler threads took in the measured window ("jit_cpu_s"): they
# share the peer's core, and new connections send the JIT down paths it recompiles.
measure() {
  local peer=$1 scenario=$2 status tag=""
  [[ -n ${ROUND:-} ]] && tag="\"round\":$ROUND,"
  scenario_env "$scenario"
  wait_quiet "$QUIET_WAIT_RUN"
  status=$(preflight "$PEER_PORT")
  if [[ $status != 200 ]]; then
    log "  $scenario: preflight answered $status, not measured ($(head -c 200 "$WORK/preflight.body"))"
    echo "{$tag\"peer\":\"$peer\",\"scenario\":\"$scenario\",\"skipped\":\"preflight answered HTTP $status\"}" >>"$RUN/runs.jsonl"
    return
  fi
  # a JVM is warmed up until its JIT has compiled the scenario's own paths (nginx and HAProxy are
  # compiled ahead of time)
  local jvm=0 warmed
  jvm_peer "$peer" && jvm=1
  if ((jvm)); then
    warmed=$(warm_up_settled "$PEER_PORT")
  else
    warm_up "$PEER_PORT" "$WARMUP"
    warmed=$WARMUP
  fi
  local pids
  mapfile -t pids < <(peer_pids)
  reset_hwm "${pids[@]+"${pids[@]}"}"
  local before after result jit_before jit=""
  ((jvm)) && jit_before=$(jit_ticks "$PEER_PID")
  before=$(snapshot "${pids[@]+"${pids[@]}"}")
  result=$(run_wrk "$PEER_PORT" "$DURATION")
  after=$(snapshot "${pids[@]+"${pids[@]}"}")
  ((jvm)) && jit=$(awk -v a="$jit_before" -v b="$(jit_ticks "$PEER_PID")" -v hz="$CLK_TCK" \
    'BEGIN {printf "\"jit_cpu_s\":%.2f,", (b - a) / hz}')
  tag="$tag\"warmup_s\":$warmed,"
  [[ -n $result ]] || die "wrk gave no result for $peer/$scenario: $(tail -5 "$WORK/wrk.out")"
  local hwm="null"
  ((${#pids[@]})) && hwm=$(hwm_kb "${pids[@]}")
  local line
  line=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v hwm="$hwm" -v peer="$peer" -v sc="$scenario" \
    -v req="$(json_num "$result" requests)" -v dur="$(json_num "$result" duration_us)" -v haspeer="${#pids[@]}" '
    BEGIN {
      split(b, x, " "); split(a, y, " ");
      wall = (y[4] - x[4]) / 100.0;
      cpu = (y[1] - x[1]) / hz;
      printf "\"peer\":\"%s\",\"scenario\":\"%s\",\"rps\":%.1f,", peer, sc, req / (dur / 1e6);
      if (haspeer > 0) printf "\"cpu_s\":%.2f,\"cpu_s_per_10k\":%.3f,\"hwm_kb\":%s,", cpu, cpu / req * 10000, hwm;
      others = (y[2] - x[2]) - (y[1] - x[1]);
      if (others < 0) others = 0;
      printf "\"peer_core_busy_pct\":%.0f,\"others_on_peer_core_pct\":%.0f,\"load_core_busy_pct\":%.0f",
        (y[2] - x[2]) / hz / wall * 100, others / hz / wall * 100, (y[3] - x[3]) / hz / wall * 100;
    }')
  echo "{$tag$jit$line,${result#\{}" >>"$RUN/runs.jsonl"
  log "  ${ROUND:+round $ROUND, $peer, }$scenario: $(json_num "$result" requests) requests, $(awk -v r="$(json_num "$result" requests)" -v d="$(json_num "$result" duration_us)" 'BEGIN{printf "%.0f", r/(d/1e6)}') req/s, p99 $(json_num "$result" p99_us) µs"
}

# measure_latency PEER RATE: the small batch at a constant RATE (open loop, bench/loadgen/pace.c).
# Every request's send time and latency go to $WORK/latency-PEER.tsv (not kept in the repo).
measure_latency() {
  local peer=$1 rate=$2 args=() header result
  scenario_env small
  IFS='|' read -r -a headers <<<"$BENCH_HEADERS"
  for header in "${headers[@]}"; do args+=(-H "$header"); done
  args+=(-H "Authorization: Bearer $(head -1 "$BENCH_TOKENS")")
  local warmup=$WARMUP
  # a JVM gets the same longer warm-up as before its throughput runs: its JIT compiles on the core
  # that serves, and the constant rate is a load shape it has not run yet
  jvm_peer "$peer" && warmup=$WARMUP_JVM
  local pids before after cpu
  mapfile -t pids < <(peer_pids)
  before=$(snapshot "${pids[@]+"${pids[@]}"}")
  result=$(taskset -c "$LOAD_CPUS" "$PACE" -r "$rate" -d "$DURATION" -w "$warmup" -c "$CONNECTIONS" \
    -m POST -p "$BENCH_PATH" -b "$BENCH_BODY" -o "$WORK/latency-$peer.tsv" "${args[@]}" 127.0.0.1 "$PEER_PORT")
  after=$(snapshot "${pids[@]+"${pids[@]}"}")
  # the peer's CPU per request and its core's busy share over the whole constant-rate run
  cpu=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="${#pids[@]}" \
    -v req="$(awk -v r="$rate" -v s="$((warmup + DURATION))" 'BEGIN{print r * s}')" '
    BEGIN {
      split(b, x, " "); split(a, y, " "); wall = (y[4] - x[4]) / 100.0;
      if (n > 0) printf "\"cpu_us_per_req\":%.1f,", (y[1] - x[1]) / hz / req * 1e6;
      printf "\"peer_core_busy_pct\":%.0f,", (y[2] - x[2]) / hz / wall * 100;
    }')
  echo "{\"peer\":\"$peer\",\"scenario\":\"latency\",$cpu${result#\{}" >>"$RUN/runs.jsonl"
  log "  latency at $rate req/s: achieved $(json_num "$result" achieved_rps), p99 $(json_num "$result" p99_us) µs"
}

# detect_query: whether this Tollgate serves the Zipkin query API; sets QUERY_PATH or QUERY_SKIP.
# A route that is not there answers 404 "no such route"; anything else means the gateway exists.
detect_query() {
  local reader prefix code
  reader=$(head -1 "$KEYS/reader.jwt")
  QUERY_PATH="" QUERY_SKIP=""
  for prefix in /projects/shop ""; do
    code=$(curl -s -o "$WORK/query-probe.body" -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $reader" \
      -H "X-Tollgate-Project: shop" "http://127.0.0.1:$TOLLGATE_PORT$prefix/api/v2/services" || echo 000)
    if ! [[ $code == 404 ]] || ! grep -q 'no such route' "$WORK/query-probe.body"; then
      QUERY_PATH="$prefix/api/v2/traces?serviceName=checkout&limit=10"
      break
    fi
  done
  if [[ -z $QUERY_PATH ]]; then
    QUERY_SKIP="not available yet: Tollgate has no /api/v2 route (GET /projects/shop/api/v2/services and /api/v2/services answer 404 \"no such route\")"
  fi
}

# profile_tollgate: JFR CPU profiles of the PROFILE_SCENARIOS (default: the small batch), from a
# Tollgate started with the recording on (starting JFR in a running JVM deoptimises its compiled
# code, which would profile the JIT instead). Warmed up with the small batch for PROFILE_WARMUP
# seconds; each scenario is then warmed up until the JIT settles (warm_up_settled) and runs DURATION
# seconds, and only its measured window of the
# recording is summarised (profile-<scenario>.md), with the CPU of each thread.
profile_tollgate() {
  local jfc=$WORK/profile.jfc java_home scenario from to
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">2 ms</setting>|' \
    "$java_home/lib/jfr/profile.jfc" >"$jfc"
  # DebugNonSafepoints: without it HotSpot records where compiled code is only at safepoints, and
  # JFR charges each sample to the nearest one (RESULTS.md: a profile without it put 2.2% of the
  # event loop on WeakHashMap.put, which one with it found in 1 sample of 5,591)
  TOLLGATE_EXTRA_OPTS="-XX:StartFlightRecording=name=bench,settings=$jfc -XX:+UnlockDiagnosticVMOptions \
-XX:+DebugNonSafepoints -Xlog:gc,safepoint:file=$WORK/profile-gc.log" \
    start_peer tollgate
  scenario_env small
  warm_up "$PEER_PORT" "$PROFILE_WARMUP"
  for scenario in $PROFILE_SCENARIOS; do
    [[ $scenario == query && -n $QUERY_SKIP ]] && continue
    scenario_env "$scenario"
    # as before a measured run: wrk's new connections send the JIT recompiling for ~3 s
    warm_up_settled "$PEER_PORT" >/dev/null
    thread_ticks "$PEER_PID" >"$WORK/threads-before"
    from=$(date +%s%3N)
    run_wrk "$PEER_PORT" "$DURATION" >"$WORK/profile-$scenario.json"
    to=$(date +%s%3N)
    thread_ticks "$PEER_PID" >"$WORK/threads-after"
    echo "$scenario $from $to $(json_num "$(cat "$WORK/profile-$scenario.json")" requests)" >>"$WORK/profile-windows"
    cp "$WORK/threads-before" "$WORK/threads-before-$scenario"
    cp "$WORK/threads-after" "$WORK/threads-after-$scenario"
  done
  jcmd "$PEER_PID" JFR.dump name=bench filename="$RUN/tollgate-profile.jfr" >/dev/null
  stop_peer
  local requests
  while read -r scenario from to requests; do
    {
      echo "Profiled run: $requests requests in $(((to - from) / 1000)) s."
      echo
      echo "#### CPU by thread (from /proc/<pid>/task/*/stat)"
      echo
      thread_cpu_table "$WORK/threads-before-$scenario" "$WORK/threads-after-$scenario" \
        "$(awk -v a="$from" -v b="$to" 'BEGIN {print (b - a) / 1000}')"
      echo
      java -cp "$BENCH_JAR" dev.tollgate.bench.gen.JfrTop "$RUN/tollgate-profile.jfr" 15 "$from" "$to"
    } >"$RUN/profile-$scenario.md"
    log "  JFR profile of $scenario ($requests requests): $RUN/profile-$scenario.md"
  done <"$WORK/profile-windows"
}

# wait_quiet MAX_SECONDS: waits until the machine's other work is below 15% of its cores, so that
# builds running beside the benchmark disturb it as little as possible. Bounded per call and, over
# the whole run, by QUIET_BUDGET seconds.
QUIET_SPENT=0
wait_quiet() {
  local max=$1 waited=0 busy
  ((max > 0)) || return 0
  while :; do
    busy=$(machine_busy_pct)
    if ((busy < 15)); then
      ((waited > 0)) && log "  machine quiet after ${waited}s"
      return 0
    fi
    if ((waited >= max || QUIET_SPENT >= QUIET_BUDGET)); then
      log "  machine ${busy}% busy with other work; measuring anyway (see 'others' in the tables)"
      return 0
    fi
    sleep 4.5
    waited=$((waited + 5)) QUIET_SPENT=$((QUIET_SPENT + 5))
  done
}

# machine_busy_pct: how busy all cores are over half a second, in percent.
machine_busy_pct() {
  local a b
  a=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  # half a second is 100 ticks over two cores: enough to tell 15% from quiet, and it runs before
  # every measured run (about 40 of them), where a whole second put the full run near 10 minutes
  sleep 0.5
  b=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%d", (y[1] - x[1]) * 100 / (y[2] - x[2] + 1)}'
}
