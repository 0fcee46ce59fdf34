package dev.tollgate.policy;

import dev.tollgate.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded, validated and compiled policy: roles, the bindings that give them to callers, and
 * indexes over both. Immutable and thread-safe; reloading means loading a new instance.
 */
public final class Policy {
  private static final Rule[] NO_RULES = new Rule[0];

  private final String version;
  private final Map<String, Role> roles;
  private final BindingIndex bindings;
  private final RuleIndex rules;
  private final Decision noService;
  // The rules (and allow reasons) per set of roles and question: the same few for every request.
  private final Map<GrantRules.Key, GrantRules> grantRules = new ConcurrentHashMap<>();
  private static final int MAX_GRANT_RULES = 4096;

  private Policy(String version, PolicyReader.Result read, Set<String> projects) {
    this.version = version;
    this.roles = read.roles();
    this.bindings = new BindingIndex(read.bindings());
    this.rules = new RuleIndex(List.copyOf(read.roles().values()), projects);
    this.noService = Decision.deny(Decision.DEFAULT_DENY, "resource has no service.name", version);
  }

  /**
   * Reads, validates and compiles the policy files, merged in the given order. {@code projects}
   * and {@code issuers} are the project names and issuer names ({@code issuers[].name}, not URLs)
   * Tollgate's config defines; rules naming any other project, or bindings any other issuer, are
   * rejected. With more than one issuer every binding must name its issuers; with exactly one a
   * binding without {@code issuers} means that one.
   *
   * @throws ConfigException listing every problem of every file, each as {@code file: path: problem}
   * @throws IllegalArgumentException when {@code issuers} is empty
   */
  public static Policy load(List<Path> files, Set<String> projects, Set<String> issuers) {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (Path file : files) {
      try {
        contents.put(file.toString(), Files.readAllBytes(file));
      } catch (IOException e) {
        unreadable.add(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (!unreadable.isEmpty()) {
      throw new ConfigException(unreadable);
    }
    return compile(contents, projects, issuers);
  }

  /**
   * Like {@link #load} for texts already in memory; {@code originToYamlText} maps a name used in
   * errors to the YAML, and its iteration order is the merge and version order.
   */
  public static Policy parse(Map<String, String> originToYamlText, Set<String> projects, Set<String> issuers) {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    originToYamlText.forEach((origin, text) -> contents.put(origin, text.getBytes(StandardCharsets.UTF_8)));
    return compile(contents, projects, issuers);
  }

  private static Policy compile(Map<String, byte[]> contents, Set<String> projects, Set<String> issuers) {
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("a policy binds callers of at least one issuer; none given");
    }
    if (contents.isEmpty()) {
      throw new ConfigException("no policy files given");
    }
    String version = fingerprint(contents.values());
    Map<String, String> texts = new LinkedHashMap<>();
    contents.forEach((origin, bytes) -> texts.put(origin, new String(bytes, StandardCharsets.UTF_8)));
    Set<String> known = Set.copyOf(projects);
    // Issuer order is kept for the hints in errors, which list the configured names.
    Set<String> issuerNames = Collections.unmodifiableSet(new LinkedHashSet<>(issuers));
    return new Policy(version, PolicyReader.read(texts, known, issuerNames, version), known);
  }

  private static String fingerprint(Iterable<byte[]> contents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      contents.forEach(sha::update);
      return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * {@code sha256:} and the first 16 hex digits of the SHA-256 of the files' bytes in order: the
   * same files give the same version, any edit a new one. Stamped on every {@link Decision}.
   */
  public String version() {
    return version;
  }

  /**
   * The rules that apply when {@code who} does {@code action} on {@code project} and {@code
   * signal}, ready to decide each resource of the request. Costs one map lookup per user, client
   * and group of the caller plus a pass over the rules indexed for this action, project and signal.
   */
  public Grant grant(Identity who, Action action, String project, Signal signal) {
    Set<String> callerRoles = bindings.rolesFor(who);
    GrantRules.Key key = new GrantRules.Key(callerRoles, action, project, signal);
    GrantRules shared = grantRules.get(key);
    if (shared == null) {
      shared = grantRules(callerRoles, action, project, signal);
      if (grantRules.size() >= MAX_GRANT_RULES) {
        grantRules.clear(); // a bound, not an eviction policy: role sets per policy are few
      }
      grantRules.put(key, shared);
    }
    return new Grant(who, action, project, signal, noService, shared);
  }

  private GrantRules grantRules(Set<String> callerRoles, Action action, String project, Signal signal) {
    List<Rule> denies = new ArrayList<>();
    List<Rule> allows = new ArrayList<>();
    if (!callerRoles.isEmpty()) {
      for (Rule rule : rules.candidates(action, project, signal)) {
        if (callerRoles.contains(rule.role())) {
          (rule.isDeny() ? denies : allows).add(rule);
        }
      }
    }
    return new GrantRules(denies.toArray(NO_RULES), allows.toArray(NO_RULES));
  }

  /**
   * Human lines telling how the policy answers this question: the bindings that match {@code who}
   * and why, the roles they give, each of those roles' rules with whether it matches, and the final
   * decision. A {@code null} service asks about the request as a whole ({@link Grant#overall()}).
   * For operators and tests; it formats text, so keep it off the request path.
   */
  public List<String> explain(Identity who, Action action, String project, Signal signal, String service) {
    return new PolicyExplainer(this, roles, bindings).explain(who, action, project, signal, service);
  }
}
