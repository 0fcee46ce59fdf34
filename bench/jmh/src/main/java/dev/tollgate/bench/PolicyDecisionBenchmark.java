package dev.tollgate.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.policy.Action;
import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Policy#grant} and {@link Grant#decide} on bench/conf/policy.yaml (the policy the end-to-end
 * runs load): what one request costs (a grant, then one decision per resource), an allowed resource,
 * and a resource that falls to the default deny (which builds its reason string).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyDecisionBenchmark {
  private Policy policy;
  private Identity writer;
  private Grant grant;

  @Setup
  public void setup() throws IOException {
    policy = Policy.parse(Map.of("policy.yaml", benchPolicy()), Set.of("shop"), Set.of("bench"));
    writer = new Identity("bench", "shop-collector", "shop-collector", Set.of("shop-writers"));
    grant = policy.grant(writer, Action.WRITE, "shop", Signal.TRACES);
    if (!grant.decide("cart-07").allowed() || grant.decide("payments").allowed()) {
      throw new IllegalStateException("bench policy does not decide as the benchmark expects");
    }
  }

  static String benchPolicy() throws IOException {
    try (InputStream in = PolicyDecisionBenchmark.class.getResourceAsStream("/bench-conf/policy.yaml")) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  /** The small-batch request: one grant, one allowed resource. */
  @Benchmark
  public Decision grantAndDecide() {
    return policy.grant(writer, Action.WRITE, "shop", Signal.TRACES).decide("checkout");
  }

  @Benchmark
  public Grant grantOnly() {
    return policy.grant(writer, Action.WRITE, "shop", Signal.TRACES);
  }

  @Benchmark
  public Decision decideAllowedGlob() {
    return grant.decide("cart-07");
  }

  @Benchmark
  public Decision decideDefaultDeny() {
    return grant.decide("payments");
  }
}
