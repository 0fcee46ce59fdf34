package dev.tollgate.policy;

import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.ShopPolicy.ISSUERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.tollgate.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyLoadingTest {
  private static final Set<String> PROJECTS = Set.of("shop-prod", "shop-staging");
  private static final String RULE = "{actions: [write], projects: [shop-prod]}";
  private static final String ROLE = "{name: shop-writer, rules: [" + RULE + "]}";

  /** A one-role policy whose only rule is {@code rule}. */
  private static String withRule(String rule) {
    return "roles: [{name: shop-writer, rules: [" + rule + "]}]";
  }

  /** A valid role plus one binding. */
  private static String withBinding(String binding) {
    return "roles: [" + ROLE + "]\nbindings: [" + binding + "]";
  }

  static Stream<Arguments> badPolicies() {
    return Stream.of(
        bad("project typo", withRule("{actions: [write], projects: [shop-prd]}"),
            "policy.yaml: roles[0].rules[0].projects: unknown project \"shop-prd\" (did you mean \"shop-prod\"?)"),
        bad("project unlike any", withRule("{actions: [write], projects: [warehouse]}"),
            "roles[0].rules[0].projects: unknown project \"warehouse\"\n"),
        bad("projects missing", withRule("{actions: [write]}"),
            "roles[0].rules[0].projects: is required (project names, or \"*\" for every project)"),
        bad("projects empty", withRule("{actions: [write], projects: []}"),
            "roles[0].rules[0].projects: must name at least one project"),
        bad("action typo", withRule("{actions: [wirte], projects: [shop-prod]}"),
            "roles[0].rules[0].actions: unknown action \"wirte\" (did you mean \"write\"?)"),
        bad("action unlike any", withRule("{actions: delete, projects: [shop-prod]}"),
            "roles[0].rules[0].actions: unknown action \"delete\" (use write, read)"),
        bad("actions missing", withRule("{projects: [shop-prod]}"),
            "roles[0].rules[0].actions: is required (write, read or both)"),
        bad("actions empty", withRule("{actions: [], projects: [shop-prod]}"),
            "roles[0].rules[0].actions: must name at least one action"),
        bad("signal typo", withRule("{actions: [write], projects: [shop-prod], signals: [trace]}"),
            "roles[0].rules[0].signals: unknown signal \"trace\" (did you mean \"traces\"?)"),
        bad("signals empty", withRule("{actions: [write], projects: [shop-prod], signals: []}"),
            "roles[0].rules[0].signals: must name at least one signal (leave it out for all of them)"),
        bad("effect unknown", withRule("{actions: [write], projects: [shop-prod], effect: permit}"),
            "roles[0].rules[0].effect: unknown effect \"permit\" (use allow, deny)"),
        bad("effect typo", withRule("{actions: [write], projects: [shop-prod], effect: dny}"),
            "roles[0].rules[0].effect: unknown effect \"dny\" (did you mean \"deny\"?)"),
        bad("empty service pattern", withRule("{actions: [write], projects: [shop-prod], services: [a, '']}"),
            "roles[0].rules[0].services: empty service pattern (use \"*\" for every service)"),
        bad("blank service pattern", withRule("{actions: [write], projects: [shop-prod], services: ' '}"),
            "roles[0].rules[0].services: empty service pattern"),
        bad("services empty", withRule("{actions: [write], projects: [shop-prod], services: []}"),
            "roles[0].rules[0].services: must list at least one service pattern"),
        bad("rule key typo", withRule("{actions: [write], projects: [shop-prod], service: [a]}"),
            "roles[0].rules[0].service: unknown key (did you mean \"services\"?)"),
        bad("rule is not a mapping", withRule("write"), "roles[0].rules[0]: expected a mapping"),
        bad("rules empty", "roles: [{name: a, rules: []}]",
            "roles[0].rules: must list at least one rule (a role without rules grants nothing)"),
        bad("rules missing", "roles: [{name: a}]", "roles[0].rules: must list at least one rule"),
        bad("role key typo", "roles: [{name: a, rulez: [" + RULE + "]}]",
            "roles[0].rulez: unknown key (did you mean \"rules\"?)"),
        bad("role name missing", "roles: [{rules: [" + RULE + "]}]", "roles[0].name: is required"),
        bad("role name invalid", "roles: [{name: Shop Writer, rules: [" + RULE + "]}]",
            "roles[0].name: invalid role name \"Shop Writer\" (use lower-case letters"),
        bad("role name starts with dash", "roles: [{name: -x, rules: [" + RULE + "]}]",
            "roles[0].name: invalid role name \"-x\""),
        bad("role defined twice", "roles: [" + ROLE + ", " + ROLE + "]",
            "policy.yaml: roles[1].name: duplicate role \"shop-writer\" (first defined at policy.yaml: roles[0])"),
        bad("binding role typo", withBinding("{role: shop-writr, users: [alice]}"),
            "policy.yaml: bindings[0].role: unknown role \"shop-writr\" (did you mean \"shop-writer\"?)"),
        bad("binding role missing", withBinding("{users: [alice]}"), "bindings[0].role: is required"),
        bad("binding names no one", withBinding("{role: shop-writer}"),
            "bindings[0]: binds no one (add users, groups or clients)"),
        bad("binding empty lists", withBinding("{role: shop-writer, users: [], groups: []}"),
            "bindings[0]: binds no one"),
        bad("binding empty name", withBinding("{role: shop-writer, users: [alice, '']}"),
            "bindings[0].users: names must not be empty"),
        bad("binding key typo", withBinding("{role: shop-writer, user: [alice]}"),
            "bindings[0].user: unknown key (did you mean \"users\"?)"),
        bad("top-level key typo", "rolse: []", "policy.yaml: rolse: unknown key (did you mean \"roles\"?)"),
        bad("top level is a list", "- roles", "policy.yaml: (top level): expected a mapping"),
        bad("roles is a mapping", "roles: {name: a}", "policy.yaml: roles: expected a list"),
        bad("duplicate YAML key", "roles: []\nroles: []", "policy.yaml:2: found duplicate key roles"),
        bad("broken YAML", "roles: [", "policy.yaml:"),
        bad("env references are not expanded", withRule("{actions: [write], projects: ['${P}']}"),
            "roles[0].rules[0].projects: unknown project \"${P}\""));
  }

  private static Arguments bad(String name, String yaml, String expected) {
    return argumentSet(name, yaml, expected);
  }

  @ParameterizedTest
  @MethodSource("badPolicies")
  void reportsThePathAndTheFix(String yaml, String expected) {
    assertThatThrownBy(() -> Policy.parse(Map.of("policy.yaml", yaml), PROJECTS, ISSUERS))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(String.join("\n", ((ConfigException) e).problems()) + "\n")
            .contains(expected));
  }

  @Test
  void reportsEveryProblemOfEveryFileAtOnce() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a.yaml", withRule("{actions: [wirte], projects: [shop-prd], signals: [log]}"));
    files.put("b.yaml", "roles: [" + ROLE + "]\nbindings: [{role: nope}]");

    assertThatThrownBy(() -> Policy.parse(files, PROJECTS, ISSUERS))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "a.yaml: roles[0].rules[0].actions: unknown action \"wirte\" (did you mean \"write\"?)",
            "a.yaml: roles[0].rules[0].projects: unknown project \"shop-prd\" (did you mean \"shop-prod\"?)",
            "a.yaml: roles[0].rules[0].signals: unknown signal \"log\" (did you mean \"logs\"?)",
            "b.yaml: roles[0].name: duplicate role \"shop-writer\" (first defined at a.yaml: roles[0])",
            "b.yaml: bindings[0].role: unknown role \"nope\"",
            "b.yaml: bindings[0]: binds no one (add users, groups or clients)"));
  }

  @Test
  void filesMergeAndBindingsMayNameRolesOfOtherFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("roles.yaml", "roles: [" + ROLE + "]");
    files.put("bindings.yaml", "bindings: [{role: shop-writer, users: [alice]}]");
    files.put("empty.yaml", "");

    Policy p = Policy.parse(files, PROJECTS, ISSUERS);

    assertThat(p.grant(Identity.user(CORP, "alice"), Action.WRITE, "shop-prod", Signal.LOGS).decide("x").allowed())
        .isTrue();
  }

  @Test
  void loadsFilesFromDisk(@TempDir Path dir) throws Exception {
    Path roles = Files.writeString(dir.resolve("roles.yaml"), "roles: [" + ROLE + "]");
    Path bindings = Files.writeString(dir.resolve("bindings.yaml"), "bindings: [{role: shop-writer, clients: [c]}]");

    Policy p = Policy.load(List.of(roles, bindings), PROJECTS, ISSUERS);

    assertThat(p.grant(Identity.client(CORP, "c"), Action.WRITE, "shop-prod", Signal.TRACES).allowsAny()).isTrue();
  }

  @Test
  void namesFilesThatCannotBeRead(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> Policy.load(List.of(missing), PROJECTS, ISSUERS))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly(missing + ": cannot read (NoSuchFileException)"));
  }

  @Test
  void refusesAnEmptyListOfFiles() {
    assertThatThrownBy(() -> Policy.load(List.of(), PROJECTS, ISSUERS)).hasMessage("no policy files given");
  }
}
