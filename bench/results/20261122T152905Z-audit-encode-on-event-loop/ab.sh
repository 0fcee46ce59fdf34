#!/bin/bash
# alternate old/new jars: small batch alone with perf on CPU 0 through the run
# old.jar: ecb56ef as committed; new.jar: ecb56ef with change-not-kept.diff applied (both built with ./mvnw -DskipTests install).
# Each run: prof.sh (../20261122T130252Z-profile-and-allocations/) then perf script for top.py.
P=/work/main/bench/results/20261122T130252Z-profile-and-allocations
for i in 1 2; do
  for v in old new; do
    O=/tmp/pg/ab/$v-$i
    bash $P/prof.sh $O /tmp/pg/$v.jar
    cp $O/map-exit /tmp/perf-$(cat $O/pid).map
    perf script -i $O/perf.data -F comm,pid,tid,time,ip,sym,dso > $O/samples.txt 2>/dev/null
  done
done
echo AB-DONE
