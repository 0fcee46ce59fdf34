#!/bin/bash
mkdir -p "$(dirname "$0")/out"; cd "$(dirname "$0")/out"
for j in old new new old old new; do
  echo "== $j $(date -u +%H:%M:%S)"; JAR=/tmp/sc/$j.jar bash /tmp/sc/alt.sh 5 10
done
