package dev.tollgate.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tollgate.bench.gen.TraceBatches;
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
 * What {@link ResourceScanBenchmark} would cost if ingest decoded spans: the same batches parsed
 * with the generated protobuf classes (what a proxy built on them would do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProtobufDecodeBaseline {
  @Param({"1x5000", "50x100", "500x10"})
  public String shape;

  private byte[] body;

  @Setup
  public void setup() {
    String[] rs = shape.split("x");
    body = TraceBatches.permitted(Integer.parseInt(rs[0]), Integer.parseInt(rs[1]), 7).toByteArray();
  }

  @Benchmark
  public int fullDecode(ByteCounter counter) throws InvalidProtocolBufferException {
    counter.bytes += body.length;
    return ExportTraceServiceRequest.parseFrom(body).getResourceSpansCount();
  }
}
