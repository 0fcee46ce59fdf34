package dev.tollgate.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.bench.gen.Tokens;
import dev.tollgate.bench.gen.TraceBatches;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.ingest.OtlpPayload;
import dev.tollgate.proxy.ingest.PayloadFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@link OtlpPayload#rewrite}: the copy that drops forbidden resources and stamps the three
 * provenance attributes on the kept ones, on the end-to-end scenarios' batches ({@code mix} keeps
 * half its resources). The payload is read in the setup, so this is the rewrite alone: into a
 * direct buffer from Netty's default pooled allocator, as the proxy does, released after each call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProvenanceRewriteBenchmark {
  private static final List<Map.Entry<String, String>> PROVENANCE = List.of(
      Map.entry("tollgate.sender", "shop-collector"),
      Map.entry("tollgate.sender.issuer", Tokens.ISSUER),
      Map.entry("tollgate.project", "shop"));

  /** small: 1 x 10 spans; large: 50 x 100; mix: 10 x 10, every other resource dropped. */
  @Param({"small", "large", "mix"})
  public String batch;

  @Param({"PROTOBUF", "JSON"})
  public PayloadFormat format;

  private byte[] body;
  private OtlpPayload payload;
  private boolean[] keep;

  @Setup
  public void setup() {
    ExportTraceServiceRequest req = switch (batch) {
      case "small" -> TraceBatches.build(List.of("checkout"), 10, 1);
      case "large" -> TraceBatches.permitted(50, 100, 2);
      case "mix" -> TraceBatches.build(mixServices(), 10, 3);
      default -> throw new IllegalArgumentException(batch);
    };
    body = format == PayloadFormat.PROTOBUF ? req.toByteArray() : TraceBatches.json(req).getBytes(UTF_8);
    payload = OtlpPayload.read(Signal.TRACES, format, body, 0, body.length);
    keep = new boolean[payload.resourceCount()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = !batch.equals("mix") || i % 2 == 0;
    }
  }

  private static List<String> mixServices() {
    List<String> services = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      services.add(i % 2 == 0 ? "cart-0" + i : "payments");
    }
    return services;
  }

  @Benchmark
  public int rewrite(ByteCounter counter) {
    counter.bytes += body.length;
    ByteBuf out = payload.rewrite(keep, PROVENANCE, ByteBufAllocator.DEFAULT);
    int written = out.readableBytes();
    out.release();
    return written;
  }
}
