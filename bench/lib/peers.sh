# shellcheck shell=bash
# Starting and stopping the sink and the peers, each pinned with taskset. Sourced.
# vertx (optional): BareProxy, the floor of the Vert.x stack Tollgate is built on.
# netty (optional): BareNettyProxy, the same job with Netty's HTTP codec in place of Vert.x's server.
# start_peer sets PEER_PORT and PEER_PID (empty for direct: no process between load and sink).

start_sink() {
  port_free "$SINK_PORT" || die "port $SINK_PORT is taken; set SINK_PORT"
  start_bg "$WORK/sink.log" taskset -c "$LOAD_CPUS" nginx -p "$WORK" -c "$WORK/sink.conf" -g 'daemon off;'
  wait_http "http://127.0.0.1:$SINK_PORT/" 200 10 || die "sink did not start: $(cat "$WORK/sink.log")"
}

start_peer() {
  local peer=$1
  PEER_PID=""
  case $peer in
    direct)
      PEER_PORT=$SINK_PORT
      return
      ;;
    nginx)
      PEER_PORT=$NGINX_PORT
      port_free "$PEER_PORT" || die "port $PEER_PORT is taken"
      start_bg "$WORK/nginx.log" taskset -c "$PEER_CPUS" nginx -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;'
      ;;
    haproxy)
      PEER_PORT=$HAPROXY_PORT
      port_free "$PEER_PORT" || die "port $PEER_PORT is taken"
      start_bg "$WORK/haproxy.log" taskset -c "$PEER_CPUS" haproxy -f "$WORK/haproxy.cfg" -db
      ;;
    tollgate)
      PEER_PORT=$TOLLGATE_PORT
      port_free "$PEER_PORT" || die "port $PEER_PORT is taken"
      rm -f "$WORK/audit.jsonl"
      # shellcheck disable=SC2086 # the options are lists of JVM flags
      start_bg "$WORK/tollgate.log" taskset -c "$PEER_CPUS" \
        env ${TOLLGATE_ENV:-} java $TOLLGATE_JAVA_OPTS ${TOLLGATE_EXTRA_OPTS:-} -jar "$TOLLGATE_JAR" serve --config "$WORK/tollgate.yaml"
      ;;
    vertx | netty)
      local main=BareProxy
      PEER_PORT=$VERTX_PORT
      [[ $peer == netty ]] && main=BareNettyProxy PEER_PORT=$NETTY_PORT
      port_free "$PEER_PORT" || die "port $PEER_PORT is taken"
      # shellcheck disable=SC2086 # a list of JVM flags
      start_bg "$WORK/$peer.log" taskset -c "$PEER_CPUS" \
        java $TOLLGATE_JAVA_OPTS -cp "$BENCH_JAR" "dev.tollgate.bench.gen.$main" "$PEER_PORT" "$SINK_PORT"
      ;;
    *) die "unknown peer $peer" ;;
  esac
  PEER_PID=$LAST_PID
  local ready=/
  [[ $peer == tollgate ]] && ready=/readyz
  if [[ $peer == haproxy ]]; then
    # HAProxy answers / with 401 (no token): being able to say no means it is up
    wait_http "http://127.0.0.1:$PEER_PORT/" 401 30 || die "$peer did not start: $(tail -5 "$WORK/$peer.log")"
  else
    wait_http "http://127.0.0.1:$PEER_PORT$ready" 200 60 || die "$peer did not start: $(tail -5 "$WORK/$peer.log")"
  fi
}

# jvm_peer PEER: true for the peers that run on the JVM (warmed up until their JIT settles).
jvm_peer() {
  [[ $1 == tollgate || $1 == vertx || $1 == netty ]]
}

stop_peer() {
  if [[ -n $PEER_PID ]]; then
    stop_pid "$PEER_PID"
    PEER_PID=""
  fi
}

# peer_pids: the peer's processes (nginx: master and worker), for CPU and RSS accounting.
peer_pids() {
  [[ -n $PEER_PID ]] && proc_tree "$PEER_PID"
  return 0
}
