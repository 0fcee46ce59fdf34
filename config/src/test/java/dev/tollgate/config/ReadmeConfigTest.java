package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /**
   * The examples of the query and credentials sections, merged into the reference (their
   * upstreams beside the reference's), are a config Tollgate reads, and mean what they say.
   */
  @Test
  void theQueryExampleIsValidInTheReferenceConfig() throws Exception {
    TollgateConfig c = withExample("## Querying traces");
    assertThat(c.projects()).extracting(ProjectConfig::name, ProjectConfig::zipkinUpstream, ProjectConfig::queryUpstream)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("shop", "zipkin", "tempo[shop]"));
    assertThat(c.upstreams().get("zipkin").backend()).isEqualTo(Backend.ZIPKIN);
    UpstreamConfig tempo = c.upstreams().get("tempo[shop]"); // the template, filled in for shop
    assertThat(tempo.url()).hasToString("http://tempo-shop.tracing:3200");
    assertThat(tempo.backend()).isEqualTo(Backend.TEMPO);
    assertThat(tempo.credential()).isInstanceOf(CredentialConfig.StaticFile.class);
  }

  @Test
  void theCredentialsExampleIsValidInTheReferenceConfig() throws Exception {
    TollgateConfig c = withExample("## Upstream credentials");
    assertThat(c.upstreams().get("files").credential()).isInstanceOf(CredentialConfig.StaticFile.class);
    assertThat(c.upstreams().get("platform").credential()).isInstanceOf(CredentialConfig.ClientCredentials.class);
    assertThat(c.upstreams().get("traces").credential()).isInstanceOf(CredentialConfig.TokenExchange.class);
    assertThat(c.upstreams().get("edge").credential()).isInstanceOfSatisfying(CredentialConfig.Minted.class,
        m -> assertThat(m.algorithm()).isEqualTo("ES256"));
    assertThat(c.identity()).isNotNull();
  }

  @SuppressWarnings("unchecked")
  private static TollgateConfig withExample(String heading) throws Exception {
    Map<String, Object> config = (Map<String, Object>) YamlFiles.parse(yamlBlock("## Configuration reference"), "README.md");
    Map<String, Object> example = (Map<String, Object>) YamlFiles.parse(yamlBlock(heading), "README.md");
    example.forEach((key, value) -> config.merge(key, value, (a, b) -> {
      if (key.equals("upstreams")) {
        Map<String, Object> both = new LinkedHashMap<>((Map<String, Object>) a);
        both.putAll((Map<String, Object>) b);
        return both;
      }
      return b;
    }));
    return TollgateConfig.read(config, Path.of("/etc/tollgate"), false, new EnvSubstitution(name -> null), "README.md");
  }
}
