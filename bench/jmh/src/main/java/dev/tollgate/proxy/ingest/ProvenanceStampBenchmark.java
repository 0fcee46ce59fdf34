package dev.tollgate.proxy.ingest;

import dev.tollgate.auth.Caller;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The provenance a batch is stamped with, encoded as protobuf: {@code IngestForwarder.stamp} and
 * {@code Provenance.proto}, what each OTLP/protobuf batch pays before its rewrite. {@code same}: one
 * steady sender, whose stamp the thread keeps; {@code alternating}: two senders in turn, so every
 * batch makes and encodes a stamp (what each batch paid before the stamp was kept, plus the stamp's
 * wrapper and the thread-local lookup). In the proxy's package to reach them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProvenanceStampBenchmark {
  @Param({"same", "alternating"})
  public String senders;

  private final Caller[] callers = new Caller[2];
  private ProjectRoutes.Route route;
  private int next;

  @Setup
  public void setUp() {
    Instant exp = Instant.now().plusSeconds(3600);
    callers[0] = new Caller("shop-collector", "shop-collector", "https://idp.bench.invalid/", "bench",
        Set.of("shop-writers"), exp);
    callers[1] = senders.equals("same") ? callers[0]
        : new Caller("cart-collector", "cart-collector", "https://idp.bench.invalid/", "bench", Set.of("shop-writers"), exp);
    route = new ProjectRoutes.Route(new ProjectConfig("shop", "main", "shop", null, null), null);
  }

  @Benchmark
  public byte[] stampAndEncode() {
    Caller c = callers[next];
    next ^= 1;
    return Provenance.proto(IngestForwarder.stamp(c, route));
  }
}
