#!/bin/bash
# prof-ap.sh [alloc]: prof2.sh (../20261122T224000Z-where-the-user-time-goes/) with async-profiler in
# place of perf, so that frames the JIT inlined keep their own names (perf's map names only the
# compiled method). Tollgate only. CPU samples every 100 µs of CPU (or allocation samples with
# "alloc"), 6 s after the JIT has settled; the collapsed stacks go to /tmp/sc/ap.collapsed.
# async-profiler comes from Maven Central (tools.profiler:async-profiler:4.1); a small agent
# (ApAgent.java here) starts and stops it when /tmp/sc/ap.start and /tmp/sc/ap.stop appear.
set -e
H=$(cd "$(dirname "$0")" && pwd); M=/work/main
JAR4=$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar
[[ -f $JAR4 ]] || $M/mvnw -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1
if [[ ! -f /tmp/apagent/apagent.jar ]]; then
  mkdir -p /tmp/ap /tmp/apagent/x && (cd /tmp/ap && unzip -q -o $JAR4)
  javac -cp $JAR4 -d /tmp/apagent/x $H/ApAgent.java
  (cd /tmp/apagent/x && unzip -q -o $JAR4 'one/*' && printf 'Premain-Class: ApAgent\n' > ../m.txt && jar cfm ../apagent.jar ../m.txt .)
fi
set +e
rm -f /tmp/sc/ap.start /tmp/sc/ap.stop /tmp/sc/ap.collapsed
AGENT=-javaagent:/tmp/apagent/apagent.jar; [[ $1 == alloc ]] && AGENT="$AGENT=start;event=alloc;threads"
sed -e 's|^perf record $PERFOPTS -F 999 -C 0 -o /tmp/sc/$PEER.data -- taskset|touch /tmp/sc/ap.start; sleep 0.5; taskset|' \
    -e 's|^D0=\(.*\)|D0=\1; touch /tmp/sc/ap.stop; sleep 2|' \
    $H/../20261122T224000Z-where-the-user-time-goes/prof2.sh > /tmp/sc/prof-ap-run.sh
JOPTS="$AGENT" bash /tmp/sc/prof-ap-run.sh tollgate
