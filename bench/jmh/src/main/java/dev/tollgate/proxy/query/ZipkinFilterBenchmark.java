package dev.tollgate.proxy.query;

import dev.tollgate.bench.gen.Payloads;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.web.Buffers;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
 * The query scenario's answer filter: the streaming Zipkin filter on the benchmark's {@code
 * /api/v2/traces} answer (a third of the spans forbidden), against decoding the same answer into
 * JSON objects and encoding it again, which is what filtering a decoded tree costs at the least.
 * In the proxy's package to reach the package-private filter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZipkinFilterBenchmark {
  /** traces x spans per trace: 10x10 is the end-to-end query scenario's 30 KB answer. */
  @Param({"10x10", "100x10"})
  public String shape;

  @Param({"false", "true"})
  public boolean redact;

  private byte[] answer;
  private TraceScope scope;

  @Setup
  public void setUp() {
    String[] s = shape.split("x");
    answer = Payloads.zipkinTraces(Integer.parseInt(s[0]), Integer.parseInt(s[1])).getBytes(StandardCharsets.UTF_8);
    Policy policy = Policy.parse(Map.of("p.yaml", String.join("\n",
        "roles: [{name: r, rules: [{actions: [read], projects: [shop], services: [checkout, \"cart-*\"]}]}]",
        "bindings: [{role: r, users: [alice]}]")), Set.of("shop"), Set.of("corp"));
    scope = new TraceScope(policy.grant(new Identity("corp", "alice", null, Set.of()), Action.READ, "shop",
        Signal.TRACES), true, redact);
  }

  @Benchmark
  public Buffer streamingFilter() {
    return ZipkinTraces.traces(answer, scope, new QueryTally("zipkin", 10));
  }

  @Benchmark
  public Buffer decodeAndEncodeOnly() {
    return QueryPlan.unfiltered().apply(Buffers.wrap(answer), scope, new QueryTally("zipkin", 10));
  }
}
