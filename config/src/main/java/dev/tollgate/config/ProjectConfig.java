package dev.tollgate.config;

import java.util.regex.Pattern;

/**
 * A tenant. Names are DNS labels so that no name can carry {@code |}, {@code ..}, {@code /} or
 * anything else a backend could read as a second tenant or a path.
 *
 * @param upstream where OTLP ingest goes
 * @param tenant the value of the upstreams' tenant header; a DNS label too, so no {@code a|b}
 *     multi-tenant read can be formed from it
 * @param zipkinUpstream where Zipkin spans ({@code POST /api/v2/spans}) go, or null when the
 *     project takes none
 * @param queryUpstream the trace backend queries are answered from, or null when the project has
 *     none
 */
public record ProjectConfig(String name, String upstream, String tenant, String zipkinUpstream, String queryUpstream) {
  /** A DNS label: what {@link #isName} accepts, as a pattern (for documentation and tests). */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /**
   * Whether {@code s} is a project or tenant name ({@link #NAME}): 1 to 63 lower-case letters,
   * digits and '-', not starting or ending with '-'. A loop, not the regex: every request checks one.
   */
  public static boolean isName(String s) {
    int n = s.length();
    if (n == 0 || n > 63 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** A project with OTLP ingest only. */
  public ProjectConfig(String name, String upstream, String tenant) {
    this(name, upstream, tenant, null, null);
  }

  static ProjectConfig read(ConfigNode n) {
    n.allowOnly("name", "upstream", "tenant", "zipkin_upstream", "query_upstream");
    String name = n.get("name").string();
    if (name != null && !isName(name)) {
      n.get("name").error("\"" + name + "\" is not a project name (lower-case letters, digits and '-', at most 63)");
    }
    String tenant = n.get("tenant").string(name);
    if (tenant != null && !isName(tenant)) {
      n.get("tenant").error("\"" + tenant + "\" is not a tenant id (lower-case letters, digits and '-', at most 63)");
    }
    return new ProjectConfig(name, n.get("upstream").string("ingest"), tenant,
        n.get("zipkin_upstream").string(null), n.get("query_upstream").string(null));
  }

  /** The same project with its upstream references replaced. */
  ProjectConfig withUpstreams(String ingest, String zipkin, String query) {
    return new ProjectConfig(name, ingest, tenant, zipkin, query);
  }
}
