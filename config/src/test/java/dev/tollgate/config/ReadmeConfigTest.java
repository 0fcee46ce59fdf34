package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration reference in the README is a config Tollgate reads, and means what it says. */
class ReadmeConfigTest {
  /** The first YAML block after {@code heading} in the project's README. */
  static String yamlBlock(String heading) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("\n" + heading + "\n");
    assertThat(section).as("README section %s", heading).isPositive();
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theConfigurationReferenceIsAValidConfig() throws Exception {
    String yaml = yamlBlock("## Configuration reference");

    TollgateConfig c = TollgateConfig.read(YamlFiles.parse(yaml, "README.md"), Path.of("/etc/tollgate"), false,
        new EnvSubstitution(name -> null), "README.md");

    assertThat(c.server().maxBodyBytes()).isEqualTo(8L << 20);
    assertThat(c.server().maxInFlightBytes()).isEqualTo(40L << 20);
    assertThat(c.server().idleSpin()).isEqualTo(Duration.ofNanos(50_000));
    assertThat(c.issuers()).extracting(IssuerConfig::name).containsExactly("corp");
    assertThat(c.projects().get(0).tenant()).isEqualTo("shop-prod");
    assertThat(c.upstreams().get("ingest").credential()).isInstanceOf(CredentialConfig.StaticFile.class);
    assertThat(c.policyFiles()).containsExactly(Path.of("/etc/tollgate/policy.yaml"));
  }
}
