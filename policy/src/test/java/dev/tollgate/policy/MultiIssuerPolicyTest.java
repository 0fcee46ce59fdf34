package dev.tollgate.policy;

import static dev.tollgate.policy.Action.WRITE;
import static dev.tollgate.policy.Signal.TRACES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.tollgate.config.ConfigException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two trusted issuers (two Keycloak realms, say) can both have an {@code alice}, a
 * {@code shop-collector} client and a {@code shop-developers} group; a binding gives its role only to
 * the callers of the issuers it names.
 */
class MultiIssuerPolicyTest {
  private static final Set<String> PROJECTS = Set.of("shop");
  private static final Set<String> ISSUERS = new LinkedHashSet<>(List.of("corp", "partners"));
  private static final String ROLES = """
      roles:
        - name: shop-writer
          rules: [{actions: [write], projects: [shop]}]
        - name: partner-feed
          rules: [{actions: [write], projects: [shop], services: ["partner-*"]}]
      """;
  private static final Policy POLICY = parse(ROLES + """
      bindings:
        - role: shop-writer
          issuers: [corp]
          users: [alice]
          clients: [shop-collector]
          groups: [shop-developers]
        - role: partner-feed
          issuers: [partners]
          clients: [feed]
        - role: partner-feed
          issuers: [corp, partners]
          clients: [shared-feed]
      """);

  static Stream<Arguments> callers() {
    return Stream.of(
        row("corp user", Identity.user("corp", "alice"), "checkout", true),
        row("partners user with the same subject", Identity.user("partners", "alice"), "checkout", false),
        row("corp client", Identity.client("corp", "shop-collector"), "checkout", true),
        row("partners client with the same id", Identity.client("partners", "shop-collector"), "checkout", false),
        row("corp group", Identity.user("corp", "bob", "shop-developers"), "checkout", true),
        row("partners group with the same name", Identity.user("partners", "bob", "shop-developers"), "checkout",
            false),
        row("partners client bound for partners", Identity.client("partners", "feed"), "partner-api", true),
        row("corp client with a partners-only name", Identity.client("corp", "feed"), "partner-api", false),
        row("binding naming both issuers, corp", Identity.client("corp", "shared-feed"), "partner-api", true),
        row("binding naming both issuers, partners", Identity.client("partners", "shared-feed"), "partner-api",
            true),
        row("an issuer the policy does not know", Identity.user("elsewhere", "alice"), "checkout", false));
  }

  private static Arguments row(String name, Identity who, String service, boolean allowed) {
    return argumentSet(name, who, service, allowed);
  }

  @ParameterizedTest
  @MethodSource("callers")
  void onlyTheBoundIssuersCallersGetTheRole(Identity who, String service, boolean allowed) {
    Decision d = POLICY.grant(who, WRITE, "shop", TRACES).decide(service);

    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
  }

  @Test
  void denialNamesTheCallersIssuer() {
    assertThat(POLICY.grant(Identity.client("partners", "shop-collector"), WRITE, "shop", TRACES).overall().reason())
        .isEqualTo("no role of client \"shop-collector\" from issuer partners grants write on project \"shop\""
            + " signal traces");
  }

  @Test
  void explainSaysWhichIssuerABindingIsFor() {
    List<String> lines = POLICY.explain(Identity.user("partners", "alice"), WRITE, "shop", TRACES, "checkout");

    assertThat(lines).contains(
        "binding policy.yaml: bindings[0] does not give role shop-writer: user \"alice\" is bound for issuers"
            + " [corp], not partners",
        "no binding matches user \"alice\" from issuer partners (3 checked)",
        "roles: none");
    assertThat(POLICY.explain(Identity.user("corp", "alice"), WRITE, "shop", TRACES, "checkout"))
        .contains("binding policy.yaml: bindings[0] gives role shop-writer: matches user \"alice\" of issuer corp");
  }

  static Stream<Arguments> badBindings() {
    return Stream.of(
        bad("issuers left out", "{role: shop-writer, users: [alice]}",
            "policy.yaml: bindings[0].issuers: is required when Tollgate trusts more than one issuer, as the same"
                + " user, client or group name can belong to different callers at each; add issuers: [corp]"
                + " (configured: corp, partners)"),
        bad("issuer typo", "{role: shop-writer, issuers: [crop], users: [alice]}",
            "policy.yaml: bindings[0].issuers: unknown issuer \"crop\" (did you mean \"corp\"?); use the issuer's"
                + " name from the config, not its URL"),
        bad("issuer URL instead of name", "{role: shop-writer, issuers: ['https://idp.example.com/realms/corp'],"
                + " users: [alice]}",
            "bindings[0].issuers: unknown issuer \"https://idp.example.com/realms/corp\" (configured: corp,"
                + " partners)"),
        bad("issuers empty", "{role: shop-writer, issuers: [], users: [alice]}",
            "bindings[0].issuers: must name at least one issuer (configured: corp, partners)"),
        bad("issuers key typo", "{role: shop-writer, issuer: [corp], users: [alice]}",
            "bindings[0].issuer: unknown key (did you mean \"issuers\"?)"));
  }

  private static Arguments bad(String name, String binding, String expected) {
    return argumentSet(name, binding, expected);
  }

  @ParameterizedTest
  @MethodSource("badBindings")
  void everyBindingMustNameKnownIssuers(String binding, String expected) {
    assertThatThrownBy(() -> parse(ROLES + "bindings: [" + binding + "]"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains(expected)));
  }

  @Test
  void withOneIssuerABindingMayLeaveItOut() {
    Policy single = Policy.parse(Map.of("policy.yaml", ROLES + "bindings: [{role: shop-writer, users: [alice]}]"),
        PROJECTS, Set.of("corp"));

    assertThat(single.grant(Identity.user("corp", "alice"), WRITE, "shop", TRACES).allowsAny()).isTrue();
    assertThat(single.grant(Identity.user("other", "alice"), WRITE, "shop", TRACES).allowsAny()).isFalse();
    assertThatThrownBy(() -> Policy.parse(Map.of("policy.yaml",
        ROLES + "bindings: [{role: shop-writer, issuers: [partners], users: [alice]}]"), PROJECTS, Set.of("corp")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "policy.yaml: bindings[0].issuers: unknown issuer \"partners\" (configured: corp); use the issuer's"
                + " name from the config, not its URL"));
  }

  private static Policy parse(String yaml) {
    return Policy.parse(Map.of("policy.yaml", yaml), PROJECTS, ISSUERS);
  }
}
