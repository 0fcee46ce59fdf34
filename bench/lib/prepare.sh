# shellcheck shell=bash
# bench/run.sh's preparation: tools, build, keys and tokens, payloads, rendered configs. Sourced.

# The Debian packages the peers and the load come from; installed only when missing.
install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v curl >/dev/null || missing+=(curl)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  command -v jcmd >/dev/null || missing+=(openjdk-17-jdk-headless)
  if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
    log "installing ${missing[*]}"
    apt-get update -q >/dev/null
    # the peers are started by this script, never as system services
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Read whole, never cut with head: haproxy writes its lines one by one, and a pipe closed after
  # the first kills it with SIGPIPE, which pipefail made a silent exit of the whole run (1 in 6).
  local about v
  about=$(haproxy -v) || die "haproxy -v failed"
  v=$(sed -n 's/^HAProxy version \([0-9]*\.[0-9]*\).*/\1/p' <<<"$about")
  [[ $(printf '%s\n2.6\n' "$v" | sort -V | sed -n 1p) == 2.6 ]] || die "HAProxy $v has no jwt_verify; 2.6+ is needed"
  HAPROXY_VERSION=$(sed -n 1p <<<"$about")
}

build_all() {
  if [[ $BUILD == 0 ]]; then
    log "not building (--no-build): using the jars in proxy/target and bench/jmh/target"
  else
    log "building Tollgate and the bench module"
    local mvn=mvn
    command -v mvn >/dev/null || mvn="$ROOT/mvnw"
    (cd "$ROOT" && "$mvn" -q -B install -Dmaven.test.skip=true) >"$RUN/build.log" 2>&1 \
      || die "build failed (another change in progress? retry, or use --no-build): $(grep ERROR "$RUN/build.log" | head -3)"
  fi
  # TOLLGATE_JAR may name another build, to compare two versions with the same harness
  TOLLGATE_JAR=${TOLLGATE_JAR:-$ROOT/proxy/target/tollgate.jar}
  BENCH_JAR=$ROOT/bench/jmh/target/benchmarks.jar
  [[ -f $TOLLGATE_JAR && -f $BENCH_JAR ]] || die "missing $TOLLGATE_JAR or $BENCH_JAR"
}

# Keys and tokens are kept in bench/.work between runs (signing 40,000 RS256 tokens takes ~25 s, a
# twentieth of the run's ten minutes); they are remade when older than 6 hours (they are valid for
# 12, so they outlast any run begun with them) or when the count changes.
make_tokens() {
  KEYS=$BENCH/.work/keys-$CALLERS
  local n=0
  [[ -f $KEYS/callers.jwt ]] && n=$(wc -l <"$KEYS/callers.jwt")
  if [[ $n != "$CALLERS" || ! -f $KEYS/callers-warmup.jwt || -z $(find "$KEYS/callers.jwt" -mmin -360 2>/dev/null) ]]; then
    log "signing a fresh RSA key's tokens (2 x $CALLERS callers)"
    rm -rf "$KEYS"
    java -cp "$BENCH_JAR" dev.tollgate.bench.gen.Tokens "$KEYS" "$CALLERS" 12
  fi
  echo "bench-upstream-token" >"$WORK/upstream-token"
}

make_payloads() {
  PAYLOADS=$WORK/payloads
  java -cp "$BENCH_JAR" dev.tollgate.bench.gen.Payloads "$PAYLOADS"
  cp "$PAYLOADS/payloads.tsv" "$RUN/payloads.tsv"
}

build_pace() {
  PACE=$BENCH/.work/pace
  if [[ ! -x $PACE || $BENCH/loadgen/pace.c -nt $PACE ]]; then
    gcc -O2 -Wall -o "$PACE" "$BENCH/loadgen/pace.c"
  fi
}

# render TEMPLATE OUT: fills in the @NAME@ placeholders of a config template.
render() {
  sed -e "s|@THREADS@|$THREADS|g" -e "s|@IDLE_SPIN@|$IDLE_SPIN|g" -e "s|@SINK_PORT@|$SINK_PORT|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
    -e "s|@HAPROXY_PORT@|$HAPROXY_PORT|g" -e "s|@TOLLGATE_PORT@|$TOLLGATE_PORT|g" \
    -e "s|@KEYS@|$KEYS|g" -e "s|@WORK@|$WORK|g" -e "s|@PAYLOADS@|$PAYLOADS|g" \
    -e "s|@CONF@|$BENCH/conf|g" -e "s|@ISSUER@|https://idp.bench.invalid/|g" "$1" >"$2"
}

# Tollgate's config, checked by the build that is benchmarked.
render_configs() {
  render "$BENCH/conf/sink.conf" "$WORK/sink.conf"
  render "$BENCH/conf/nginx.conf" "$WORK/nginx.conf"
  render "$BENCH/conf/haproxy.cfg" "$WORK/haproxy.cfg"
  render "$BENCH/conf/tollgate.yaml" "$WORK/tollgate.yaml"
  # without a spin the line goes, so that builds from before server.idle_spin can be compared
  if [[ $IDLE_SPIN =~ ^0+[a-z]*$ ]]; then
    sed -i '/^  idle_spin:/d' "$WORK/tollgate.yaml"
  fi
  java -jar "$TOLLGATE_JAR" config check "$WORK/tollgate.yaml" >"$WORK/config-check.log" 2>&1 \
    || die "Tollgate refuses the benchmark config: $(cat "$WORK/config-check.log")"
  haproxy -c -q -f "$WORK/haproxy.cfg" || die "HAProxy refuses $WORK/haproxy.cfg"
}
