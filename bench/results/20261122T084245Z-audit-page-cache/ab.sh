#!/bin/bash
# alternate the audit file (F, as shipped) and /dev/null (N), small batch, tollgate and nginx
cd /work/main
trap 'git checkout bench/conf/tollgate.yaml' EXIT
for i in 1 2 3; do
  for v in F N; do
    git checkout bench/conf/tollgate.yaml
    [ $v = N ] && sed -i 's|^  file: audit.jsonl$|  file: /dev/null|' bench/conf/tollgate.yaml
    grep -A1 '^audit:' bench/conf/tollgate.yaml | tail -1
    /tmp/aud/threads.sh /tmp/aud/threads-$i-$v.txt & S=$!
    start=$(date +%s)
    bench/run.sh --no-build --no-profile --scenarios small --peers "tollgate nginx" > /tmp/aud/run-$i-$v.log 2>&1
    kill $S
    d=$(ls -td bench/results/2026* | head -1)
    echo "$i $v $d $(( $(date +%s) - start ))s" >> /tmp/aud/index.txt
  done
done
