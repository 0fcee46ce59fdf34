package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.tollgate.config.ClaimMapping;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimReaderTest {
  private static final Map<String, Object> CLAIMS = Map.of(
      "sub", "alice",
      "realm_access", Map.of("roles", List.of("admin", "dev")),
      "resource_access", Map.of("tollgate", Map.of("roles", "ops")),
      "https://example.com/groups", List.of("g1"),
      "a", Map.of("b.c", "dotted-child"),
      "number", 42);

  static Stream<Arguments> paths() {
    return Stream.of(
        argumentSet("top level", "sub", "alice"),
        argumentSet("nested", "realm_access.roles", List.of("admin", "dev")),
        argumentSet("two levels", "resource_access.tollgate.roles", "ops"),
        argumentSet("literal name with dots", "https://example.com/groups", List.of("g1")),
        argumentSet("child name with dots", "a.b.c", "dotted-child"),
        argumentSet("missing leaf", "realm_access.nope", null),
        argumentSet("through a non-object", "sub.x", null),
        argumentSet("empty path", "", null));
  }

  @ParameterizedTest
  @MethodSource("paths")
  void findsDottedPaths(String path, Object expected) {
    assertThat(ClaimReader.find(CLAIMS, path)).isEqualTo(expected);
  }

  @Test
  void groupsAreTheUnionOfStringsOnEveryPath() {
    ClaimReader reader = new ClaimReader(new ClaimMapping("sub", List.of("azp"),
        List.of("realm_access.roles", "resource_access.tollgate.roles", "number", "missing", "mixed")));
    Map<String, Object> claims = new java.util.HashMap<>(CLAIMS);
    claims.put("mixed", List.of("dev", 7, Map.of(), "", "qa"));

    assertThat(reader.groups(claims)).containsExactly("admin", "dev", "ops", "qa");
  }

  @Test
  void subjectAndClientIdMustBeStrings() {
    ClaimReader reader = new ClaimReader(new ClaimMapping("number", List.of("number", "missing", "sub"), List.of()));
    assertThat(reader.subject(CLAIMS)).isNull();
    assertThat(reader.clientId(CLAIMS)).isEqualTo("alice");
  }
}
