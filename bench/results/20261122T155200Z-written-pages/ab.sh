#!/bin/bash
# alternate old/new jars: small batch alone with perf on CPU 0 through the run
# old.jar: ecb56ef (the audit code as before); new.jar: 90c89a8 (WrittenPages). RUNS="1 2", then RUNS="3 4".
# summary.txt is top-*.txt (top.py of ../20261122T130252Z-profile-and-allocations/) in one line per run.
P=/work/main/bench/results/20261122T130252Z-profile-and-allocations
for i in ${RUNS:-1 2}; do
  for v in old new; do
    O=/tmp/pg/ab/$v-$i
    bash $P/prof.sh $O /tmp/pg/$v.jar
    cp $O/map-exit /tmp/perf-$(cat $O/pid).map
    perf script -i $O/perf.data -F comm,pid,tid,time,ip,sym,dso > $O/samples.txt 2>/dev/null
  done
done
echo AB-DONE
