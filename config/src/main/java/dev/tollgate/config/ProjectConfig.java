package dev.tollgate.config;

import java.util.regex.Pattern;

/**
 * A tenant. Names are DNS labels so that no name can carry {@code |}, {@code ..}, {@code /} or
 * anything else a backend could read as a second tenant or a path.
 */
public record ProjectConfig(String name, String upstream, String tenant) {
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  static ProjectConfig read(ConfigNode n) {
    n.allowOnly("name", "upstream", "tenant");
    String name = n.get("name").string();
    if (name != null && !NAME.matcher(name).matches()) {
      n.get("name").error("\"" + name + "\" is not a project name (lower-case letters, digits and '-', at most 63)");
    }
    String tenant = n.get("tenant").string(name);
    if (tenant != null && !NAME.matcher(tenant).matches()) {
      n.get("tenant").error("\"" + tenant + "\" is not a tenant id (lower-case letters, digits and '-', at most 63)");
    }
    return new ProjectConfig(name, n.get("upstream").string("ingest"), tenant);
  }
}
