package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy reference in the README is a policy Tollgate reads, and means what its comments say. */
class ReadmePolicyTest {
  @Test
  void thePolicyReferenceLoadsAndItsDenyWins() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("\n## Policy reference\n");
    assertThat(section).isPositive();
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));

    Policy policy = Policy.parse(Map.of("README.md", yaml), Set.of("shop-prod"), Set.of("corp"));
    Grant collector = policy.grant(Identity.client("corp", "shop-collector"), Action.WRITE, "shop-prod", Signal.TRACES);

    assertThat(collector.decide("checkout").allowed()).isTrue();
    assertThat(collector.decide("cart-api").allowed()).isTrue();
    assertThat(collector.decide("cart-debug").allowed()).as("a matching deny wins").isFalse();
    assertThat(collector.decide("payments").allowed()).isFalse();
    assertThat(policy.grant(Identity.client("corp", "shop-collector"), Action.READ, "shop-prod", Signal.TRACES)
        .allowsAny()).isFalse();
  }
}
