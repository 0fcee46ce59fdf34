# Build: docker build -t tollgate .   Run: docker run -v $PWD/conf:/etc/tollgate tollgate
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 tollgate
COPY --from=build /src/proxy/target/tollgate.jar /opt/tollgate/tollgate.jar
USER 10001
EXPOSE 4318
# A bounded heap (request bodies in flight default to half of it; a large body's rewritten copy
# waits for its upstream in direct memory, outside the heap) and the serial collector: one event
# loop per core, and no concurrent GC threads competing with it. The heap is sized once (-Xms =
# -Xmx): a heap that starts small keeps a small young generation until the old one fills, and at
# 64 MiB that meant a young collection every 25 ms under load. See bench/RESULTS.md (transparent
# huge pages were measured too, and not kept). bench/run.sh reads its JVM flags from this line.
#
# glibc gives each thread that allocates native memory an arena of its own, up to eight per core,
# and keeps what is freed in them. A large body's rewritten copy (1 MB and more, too large for
# Netty's pools) is such an allocation: under a steady stream of large batches the arenas held
# freed copies until the peak RSS passed 300 MiB (297-317 MiB in 20 s of the bench's large batch,
# past 300 in three runs of five); with two arenas it peaked at 265-279 MiB at the same rate
# (bench/RESULTS.md). bench/run.sh starts Tollgate with this stage's ENV lines too (one NAME=value
# each).
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms128m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/tollgate/tollgate.jar"]
CMD ["serve", "--config", "/etc/tollgate/tollgate.yaml"]
