package dev.tollgate.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.bench.gen.TraceBatches;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.ingest.OtlpPayload;
import dev.tollgate.proxy.ingest.PayloadFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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
 * The OTLP resource scan on 5,000-span batches of three shapes (resources x spans per resource):
 * {@link OtlpPayload#read} and every resource's {@link OtlpPayload#serviceName}, as ingest does.
 * Spans are skipped by length, so bytes per second should not depend on the shape. {@link
 * ProtobufDecodeBaseline} parses the same protobuf batches with the generated classes, for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResourceScanBenchmark {
  @Param({"1x5000", "50x100", "500x10"})
  public String shape;

  @Param({"PROTOBUF", "JSON"})
  public PayloadFormat format;

  private byte[] body;

  @Setup
  public void setup() {
    String[] rs = shape.split("x");
    ExportTraceServiceRequest req =
        TraceBatches.permitted(Integer.parseInt(rs[0]), Integer.parseInt(rs[1]), 7);
    body = format == PayloadFormat.PROTOBUF ? req.toByteArray() : TraceBatches.json(req).getBytes(UTF_8);
  }

  @Benchmark
  public int scan(ByteCounter counter) {
    OtlpPayload p = OtlpPayload.read(Signal.TRACES, format, body, 0, body.length);
    int h = 0;
    for (int i = 0; i < p.resourceCount(); i++) {
      h += p.serviceName(i).length();
    }
    counter.bytes += body.length;
    return h;
  }
}
