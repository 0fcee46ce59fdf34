package dev.tollgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole of one Tollgate config file, validated. */
public record TollgateConfig(
    ServerConfig server,
    List<IssuerConfig> issuers,
    List<ProjectConfig> projects,
    Map<String, UpstreamConfig> upstreams,
    List<Path> policyFiles,
    IngestConfig ingest,
    AuditConfig audit,
    IdentityConfig identity,
    QueryConfig query) {

  /**
   * Reads and validates {@code file}. Relative paths inside it resolve against its folder.
   *
   * @param devMode whether the development issuer may be used
   * @throws ConfigException with every problem found, each prefixed by its path
   */
  public static TollgateConfig load(Path file, boolean devMode, EnvSubstitution env) {
    Object yaml = YamlFiles.load(file);
    Path base = file.toAbsolutePath().getParent();
    return read(yaml, base, devMode, env, file.toString());
  }

  /** As {@link #load}, from YAML already parsed; {@code origin} prefixes errors. */
  public static TollgateConfig read(Object yaml, Path base, boolean devMode, EnvSubstitution env, String origin) {
    Problems problems = new Problems();
    ConfigNode root = ConfigNode.root(yaml, problems, env);
    if (!root.isMap()) {
      throw new ConfigException(origin + ": expected a mapping at the top level");
    }
    root.allowOnly("server", "issuers", "projects", "upstreams", "policy", "ingest", "audit", "identity",
        "query");
    List<IssuerConfig> issuers = new ArrayList<>();
    for (ConfigNode n : root.get("issuers").list()) {
      issuers.add(IssuerConfig.read(n, base, devMode));
    }
    if (issuers.isEmpty()) {
      root.get("issuers").error("at least one issuer is required (Tollgate accepts no anonymous telemetry)");
    }
    Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
    root.get("upstreams").entries().forEach((name, n) -> upstreams.put(name, UpstreamConfig.read(name, n, base)));
    List<ProjectConfig> projects = readProjects(root.get("projects"), upstreams.keySet());
    projects = ProjectUpstreams.resolve(projects, upstreams, root.get("projects"));
    ConfigNode policy = root.get("policy");
    policy.allowOnly("files");
    List<Path> policyFiles = policy.get("files").strings().stream().map(base::resolve).toList();
    if (policyFiles.isEmpty()) {
      policy.get("files").error("at least one policy file is required");
    }
    checkIssuers(issuers, root.get("issuers"));
    IdentityConfig identity = IdentityConfig.read(root.get("identity"));
    checkMintingIdentity(upstreams, identity, root.get("upstreams"));
    TollgateConfig config = new TollgateConfig(ServerConfig.read(root.get("server"), base), List.copyOf(issuers),
        projects, Map.copyOf(upstreams), policyFiles, IngestConfig.read(root.get("ingest")),
        AuditConfig.read(root.get("audit"), base), identity, QueryConfig.read(root.get("query")));
    List<String> prefixed = problems.lines().stream().map(p -> origin + ": " + p).toList();
    if (!prefixed.isEmpty()) {
      throw new ConfigException(prefixed);
    }
    return config;
  }

  /** The project names, for validating policies against. */
  public Set<String> projectNames() {
    Set<String> names = new HashSet<>();
    projects.forEach(p -> names.add(p.name()));
    return names;
  }

  private static List<ProjectConfig> readProjects(ConfigNode list, Set<String> upstreamNames) {
    List<ProjectConfig> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode n : list.list()) {
      ProjectConfig p = ProjectConfig.read(n);
      if (p.name() != null && !seen.add(p.name())) {
        n.get("name").error("duplicate project \"" + p.name() + "\"");
      }
      if (!upstreamNames.contains(p.upstream())) {
        n.get("upstream").error("unknown upstream \"" + p.upstream() + "\"" + Suggestions.didYouMean(p.upstream(), upstreamNames));
      }
      out.add(p);
    }
    if (out.isEmpty()) {
      list.error("at least one project is required");
    }
    return List.copyOf(out);
  }

  private static void checkMintingIdentity(Map<String, UpstreamConfig> upstreams, IdentityConfig identity,
      ConfigNode at) {
    upstreams.forEach((name, u) -> {
      if (u.credential() instanceof CredentialConfig.Minted && identity == null) {
        at.get(name).get("credential").get("kind").error("minted needs a top-level identity section"
            + " (identity: {issuer: https://tollgate.example.com}) naming the issuer of the tokens");
      }
    });
  }

  private static void checkIssuers(List<IssuerConfig> issuers, ConfigNode at) {
    Set<String> names = new HashSet<>();
    Set<String> iss = new HashSet<>();
    for (int i = 0; i < issuers.size(); i++) {
      IssuerConfig c = issuers.get(i);
      if (c.name() != null && !names.add(c.name())) {
        at.list().get(i).get("name").error("duplicate issuer name \"" + c.name() + "\"");
      }
      if (c.issuer() != null && !iss.add(c.issuer())) {
        at.list().get(i).get("issuer").error("duplicate issuer \"" + c.issuer() + "\" (tokens are matched by iss)");
      }
    }
  }
}
