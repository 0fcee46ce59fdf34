#!/bin/bash
# dec.sh JAR: the bench's small-batch request through Netty's HttpRequestDecoder and through
# Tollgate's RequestDecoder (Dec5.java), the sink's answer through Netty's HttpResponseDecoder and
# Tollgate's AnswerDecoder (Dec6.java), and (with a JAR that has it) an ingest answer through Netty's
# HttpResponseEncoder and Tollgate's ResponseEncoding (Dec7.java), each in an EmbeddedChannel on a FastThreadLocalThread pinned
# to CPU 0; ns per message, rounds 6-8 of 8, twice each. The harness's own cost is in every figure,
# so only the differences mean anything. Needs /tmp/sc/work/payloads/small.pb and
# bench/.work/keys-20000/writer.jwt (both made by a full bench/run.sh).
H=$(cd "$(dirname "$0")" && pwd); T=$(mktemp -d); JAR=$1
mkdir -p $T/src/dev/tollgate/proxy/web $T/src/dev/tollgate/proxy/upstream
cp $H/Dec5.java $T/src/dev/tollgate/proxy/web/; cp $H/Dec6.java $T/src/dev/tollgate/proxy/upstream/
javac -nowarn -cp $JAR -d $T $T/src/dev/tollgate/proxy/web/Dec5.java $T/src/dev/tollgate/proxy/upstream/Dec6.java
if unzip -l $JAR | grep -q 'dev/tollgate/proxy/web/ResponseEncoding.class'; then
  cp $H/Dec7.java $T/src/dev/tollgate/proxy/web/ && javac -nowarn -cp $JAR -d $T $T/src/dev/tollgate/proxy/web/Dec7.java
  for m in netty ours netty ours; do taskset -c 0 java -cp $JAR:$T dev.tollgate.proxy.web.Dec7 $m 2>&1 | grep -v SLF4J; done
fi
for m in netty ours netty ours; do taskset -c 0 java -cp $JAR:$T dev.tollgate.proxy.web.Dec5 $m 2>&1 | grep -v SLF4J; done
for m in netty ours netty ours; do taskset -c 0 java -cp $JAR:$T dev.tollgate.proxy.upstream.Dec6 $m 2>&1 | grep -v SLF4J; done
