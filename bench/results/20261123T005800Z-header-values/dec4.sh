#!/bin/bash
# dec4.sh JAR MODE: Dec3 (../20261122T224000Z-where-the-user-time-goes/) with one more mode, "hv", whose
# decoder takes Tollgate's HeaderValues.HEADERS; run on a FastThreadLocalThread (Ftl.java), as the event
# loop is, on CPU 0. MODE "on" is Netty's own check. out/dec4.txt has tonight's figures (new.jar and
# final.jar being 242720b's jar and the jar after review).
H=$(cd "$(dirname "$0")" && pwd); T=$(mktemp -d)
sed -e 's/public class Dec3/public class Dec4/' \
    -e 's|if (mode.equals("fast")) cfg.setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValueValidator(FAST));|if (mode.equals("hv")) cfg.setHeadersFactory(dev.tollgate.proxy.web.HeaderValues.HEADERS);|' \
    $H/../20261122T224000Z-where-the-user-time-goes/Dec3.java > $T/Dec4.java
javac -nowarn -cp $1 -d $T $T/Dec4.java $H/Ftl.java && taskset -c 0 java -cp $1:$T Ftl $2
