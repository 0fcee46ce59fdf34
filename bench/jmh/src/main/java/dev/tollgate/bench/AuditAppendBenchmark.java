package dev.tollgate.bench;

import dev.tollgate.auth.Caller;
import dev.tollgate.bench.gen.Tokens;
import dev.tollgate.config.AuditConfig;
import dev.tollgate.policy.Decision;
import dev.tollgate.proxy.audit.AuditEvent;
import dev.tollgate.proxy.audit.AuditLog;
import dev.tollgate.proxy.audit.AuditRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The audit trail. {@code buildEvent}: what the event loop pays per request (fill an {@link
 * AuditRecord}, finish it into an {@link AuditEvent}). {@code appendBatch}: sustained throughput of
 * {@link AuditLog} with its default file writer — a burst of events handed over, then waiting until
 * the writer thread has serialised and written them all to a real file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditAppendBenchmark {
  // Large enough that the writer's 2 ms gathering window (AuditLog) is noise per event.
  private static final int BURST = 16_384;
  private static final Caller CALLER = new Caller("shop-collector", "shop-collector", Tokens.ISSUER, "bench",
      Set.of("shop-writers"), Instant.now().plusSeconds(3600));
  private static final Decision ALLOW = Decision.allow("shop-writer/0", "roles shop-writer grant write", "sha256:0123456789abcdef");
  private Path dir;
  private AuditLog log;
  private long handed;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("tollgate-jmh-audit");
    log = AuditLog.open(new AuditConfig(dir.resolve("audit.jsonl"), 65_536));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    Files.deleteIfExists(dir.resolve("audit.jsonl"));
    Files.delete(dir);
  }

  /** A typical allowed ingest event. */
  public static AuditEvent event() {
    long start = System.nanoTime();
    AuditRecord r = new AuditRecord(Instant.now(), start, "4f1c2a9e7b3d4c5e", "5b8efff798038103d269b633813fc60c",
        "127.0.0.1", "POST", "/projects/shop/v1/traces");
    r.caller(CALLER);
    r.target("write", "shop", "traces");
    r.decision(ALLOW);
    r.accepted("checkout");
    r.upstream(200, "static-file");
    return r.finish(200, System.nanoTime());
  }

  @Benchmark
  public AuditEvent buildEvent() {
    return event();
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public long appendBatch() {
    for (int i = 0; i < BURST; i++) {
      if (!log.record(event())) {
        throw new IllegalStateException("audit queue refused an event");
      }
    }
    handed += BURST;
    while (log.written() < handed) {
      Thread.onSpinWait();
    }
    return handed;
  }
}
