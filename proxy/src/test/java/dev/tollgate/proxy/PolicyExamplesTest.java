package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigNode;
import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.Problems;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.config.YamlFiles;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every folder in policies-examples loads, validates, and keeps the promises in its cases.yaml. */
class PolicyExamplesTest {
  static final Path EXAMPLES = Path.of("..", "policies-examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      List<Path> dirs = s.filter(Files::isDirectory).sorted().toList();
      assertThat(dirs).isNotEmpty();
      return dirs.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleLoadsAndKeepsItsCases(Path example) throws IOException {
    // As `tollgate serve` would load it, unless it is a dev-mode example; with its own defaults,
    // whatever this machine's environment holds.
    Path file = example.resolve("config.yaml");
    boolean devIssuer = Files.readString(file).contains("kind: dev");
    TollgateConfig config = TollgateConfig.load(file, devIssuer, new EnvSubstitution(name -> null));
    Set<String> issuers = IssuerConfig.names(config.issuers());
    Policy policy = Policy.load(config.policyFiles(), config.projectNames(), issuers);
    Path casesFile = example.resolve("cases.yaml");
    assertThat(casesFile).as("every example states its expected decisions").exists();
    Problems problems = new Problems();
    List<ConfigNode> cases = ConfigNode.root(YamlFiles.load(casesFile), problems, new EnvSubstitution(name -> null)).list();
    assertThat(cases).isNotEmpty();
    for (ConfigNode c : cases) {
      // With one issuer a case may leave it out; with more it must say whose token it is.
      String issuer = c.get("issuer").string(issuers.size() == 1 ? issuers.iterator().next() : null);
      assertThat(issuer).as("%s %s: name the issuer (one of %s)", example.getFileName(), c.path(), issuers)
          .isIn(issuers);
      Identity who = new Identity(issuer, c.get("subject").string(null), c.get("client").string(null),
          new HashSet<>(c.get("groups").strings()));
      Decision d = policy.grant(who, Action.parse(c.get("action").string()), c.get("project").string(),
          Signal.parse(c.get("signal").string())).decide(c.get("service").string());
      assertThat(d.allowed()).as("%s %s: %s", example.getFileName(), c.path(), d.reason())
          .isEqualTo(c.get("allowed").bool(false));
    }
    assertThat(problems.lines()).isEmpty();
  }
}
