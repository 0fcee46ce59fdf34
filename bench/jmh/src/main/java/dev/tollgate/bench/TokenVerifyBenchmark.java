package dev.tollgate.bench;

import dev.tollgate.auth.Caller;
import dev.tollgate.auth.TokenVerifier;
import dev.tollgate.bench.gen.Tokens;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link TokenVerifier#verify}: a steady caller (cache hit: one SHA-256 and a lookup), many callers
 * whose tokens are all cached (the lookup with a working set larger than the CPU caches), and a
 * new token every time (cache off: parse, claims and one RS256 signature check).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenVerifyBenchmark {
  private static final int CALLERS = 4096;
  private BenchIssuer issuer;
  private TokenVerifier cached;
  private TokenVerifier uncached;
  private String token;
  private String[] callers;
  private int next;

  @Setup
  public void setup() throws Exception {
    issuer = new BenchIssuer();
    cached = issuer.verifier(TokenVerifier.DEFAULT_CACHE_SIZE);
    uncached = issuer.verifier(0);
    token = issuer.tokens.token("shop-collector", Tokens.WRITERS, Duration.ofHours(2));
    callers = IntStream.range(0, CALLERS).parallel()
        .mapToObj(i -> issuer.tokens.token("workload-" + i, Tokens.WRITERS, Duration.ofHours(2)))
        .toArray(String[]::new);
    await(cached.verify(token));
    for (String t : callers) {
      await(cached.verify(t));
    }
    await(uncached.verify(token));
  }

  @TearDown
  public void tearDown() throws Exception {
    cached.close();
    uncached.close();
    issuer.close();
  }

  @Benchmark
  public Caller cachedSameCaller() {
    return await(cached.verify(token));
  }

  @Benchmark
  public Caller cachedManyCallers() {
    next = (next + 1) & (CALLERS - 1);
    return await(cached.verify(callers[next]));
  }

  @Benchmark
  public Caller uncached() {
    return await(uncached.verify(token));
  }

  static Caller await(Future<Caller> f) {
    if (!f.isComplete()) {
      return f.toCompletionStage().toCompletableFuture().join();
    }
    if (f.failed()) {
      throw new IllegalStateException("benchmark token refused", f.cause());
    }
    return f.result();
  }
}
