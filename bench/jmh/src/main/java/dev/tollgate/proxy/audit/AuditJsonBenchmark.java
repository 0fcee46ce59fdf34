package dev.tollgate.proxy.audit;

import dev.tollgate.bench.AuditAppendBenchmark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The audit writer thread's own work per event: serialising one {@link AuditEvent} as a JSON line
 * (into a channel that discards it, so no file or thread hand-over is measured). In the proxy's
 * package to reach the package-private writer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditJsonBenchmark {
  private AuditJson json;
  private AuditEvent event;

  @Setup
  public void setUp() throws IOException {
    json = new AuditJson(Channels.newChannel(OutputStream.nullOutputStream()));
    event = AuditAppendBenchmark.event();
  }

  @Benchmark
  public AuditEvent writeEvent() throws IOException {
    json.write(event);
    if (json.buffered() >= AuditJson.CHUNK) {
      json.flush(); // as the writer hands over a chunk
    }
    return event;
  }
}
