package dev.tollgate.policy;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigNode;
import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.Problems;
import dev.tollgate.config.YamlFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads policy documents into roles and bindings, checking them all before failing: every problem
 * of every file lands in one {@link ConfigException}, each as {@code file: path: problem}.
 */
final class PolicyReader {
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  // Policies are data hashed into the policy version; substituting the environment would let the
  // behaviour change while the version stays the same. Answering every ${NAME} with itself keeps
  // the text literal, so a stray reference shows up as an unknown name rather than a missing variable.
  private static final EnvSubstitution NO_ENV = new EnvSubstitution(name -> "${" + name + "}");

  /** One parsed file; {@code root} is null when it could not be parsed. */
  private record Document(String origin, ConfigNode root, Problems problems, List<String> parseErrors) {}

  private final RuleReader rules;
  private final BindingReader bindingReader;
  private final Map<String, Role> roles = new LinkedHashMap<>();
  private final List<Binding> bindings = new ArrayList<>();

  private PolicyReader(Set<String> projects, Set<String> issuers, String policyVersion) {
    this.rules = new RuleReader(projects, policyVersion);
    this.bindingReader = new BindingReader(issuers);
  }

  /** What a valid policy holds: roles by name and bindings, both in file order. */
  record Result(Map<String, Role> roles, List<Binding> bindings) {}

  /**
   * Reads {@code texts} (origin to YAML, in order) against the config's project and issuer names;
   * throws listing every problem found.
   */
  static Result read(Map<String, String> texts, Set<String> projects, Set<String> issuers, String policyVersion) {
    PolicyReader reader = new PolicyReader(projects, issuers, policyVersion);
    List<Document> docs = new ArrayList<>();
    texts.forEach((origin, text) -> docs.add(parse(origin, text)));
    // Roles of every file first, so a binding may name a role defined in another file.
    docs.stream().filter(d -> d.root() != null).forEach(reader::readRoles);
    docs.stream().filter(d -> d.root() != null).forEach(reader::readBindings);
    Problems all = new Problems();
    for (Document doc : docs) {
      doc.parseErrors().forEach(line -> all.add("", line));
      doc.problems().lines().forEach(line -> all.add(doc.origin(), line));
    }
    all.throwIfAny();
    return new Result(Collections.unmodifiableMap(reader.roles), List.copyOf(reader.bindings));
  }

  private static Document parse(String origin, String text) {
    Problems problems = new Problems();
    try {
      ConfigNode root = ConfigNode.root(YamlFiles.parse(text, origin), problems, NO_ENV);
      root.allowOnly("roles", "bindings");
      return new Document(origin, root, problems, List.of());
    } catch (ConfigException e) {
      return new Document(origin, null, problems, e.problems());
    }
  }

  private void readRoles(Document doc) {
    for (ConfigNode node : doc.root().get("roles").list()) {
      node.allowOnly("name", "description", "rules");
      String name = roleName(node.get("name"), doc.origin() + ": " + node.path());
      String description = node.get("description").string(null);
      ConfigNode rulesNode = node.get("rules");
      List<ConfigNode> ruleNodes = rulesNode.list();
      if (ruleNodes.isEmpty()) {
        rulesNode.error("must list at least one rule (a role without rules grants nothing)");
      }
      List<Rule> compiled = new ArrayList<>();
      for (int i = 0; i < ruleNodes.size(); i++) {
        compiled.add(rules.read(ruleNodes.get(i), name == null ? "?" : name, i));
      }
      if (name != null) {
        roles.put(name, new Role(name, description, doc.origin() + ": " + node.path(), compiled));
      }
    }
  }

  /** The role's name when valid and new; {@code null} (and a problem recorded) otherwise. */
  private String roleName(ConfigNode node, String where) {
    String name = node.string();
    if (name == null) {
      return null;
    }
    if (!ROLE_NAME.matcher(name).matches()) {
      node.error("invalid role name \"" + name + "\" (use lower-case letters, digits, '.', '_' and '-',"
          + " starting with a letter or digit)");
      return null;
    }
    Role first = roles.get(name);
    if (first != null) {
      node.error("duplicate role \"" + name + "\" (first defined at " + first.where() + ")");
      return null;
    }
    return name;
  }

  private void readBindings(Document doc) {
    for (ConfigNode node : doc.root().get("bindings").list()) {
      bindings.add(bindingReader.read(node, doc.origin() + ": " + node.path(), roles));
    }
  }
}
