package dev.tollgate.policy;

import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.ShopPolicy.ISSUERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyVersionTest {
  private static final Set<String> PROJECTS = Set.of("p");
  private static final String ROLES = "roles: [{name: r, rules: [{actions: write, projects: [p]}]}]\n";
  private static final String BINDINGS = "bindings: [{role: r, users: [u]}]\n";

  private static String version(String... texts) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < texts.length; i++) {
      files.put("f" + i + ".yaml", texts[i]);
    }
    return Policy.parse(files, PROJECTS, ISSUERS).version();
  }

  @Test
  void isTheShortSha256OfTheBytesInOrder() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(ROLES.getBytes(StandardCharsets.UTF_8));
    sha.update(BINDINGS.getBytes(StandardCharsets.UTF_8));
    String expected = "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);

    assertThat(version(ROLES, BINDINGS)).isEqualTo(expected).matches("sha256:[0-9a-f]{16}");
  }

  @Test
  void isStableForTheSameContent() {
    assertThat(version(ROLES, BINDINGS)).isEqualTo(version(ROLES, BINDINGS));
  }

  @Test
  void changesWithAnyEditEvenAComment() {
    String base = version(ROLES, BINDINGS);

    assertThat(version(ROLES, BINDINGS + "# reviewed\n")).isNotEqualTo(base);
    assertThat(version(ROLES.replace("write", "read"), BINDINGS)).isNotEqualTo(base);
    assertThat(version(BINDINGS, ROLES)).isNotEqualTo(base);
  }

  @Test
  void isTheSameFromDiskAndFromMemoryAndStampsEveryDecision(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.yaml"), ROLES);
    Path b = Files.writeString(dir.resolve("b.yaml"), BINDINGS);
    Policy p = Policy.load(List.of(a, b), PROJECTS, ISSUERS);

    assertThat(p.version()).isEqualTo(version(ROLES, BINDINGS));
    Grant g = p.grant(Identity.user(CORP, "u"), Action.WRITE, "p", Signal.LOGS);
    assertThat(List.of(g.decide("x"), g.decide(null), g.overall(),
            p.grant(Identity.user(CORP, "v"), Action.READ, "p", Signal.LOGS).decide("x")))
        .extracting(Decision::policyVersion)
        .containsOnly(p.version());
  }
}
