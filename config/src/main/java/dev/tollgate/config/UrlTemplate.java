package dev.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream URLs with {@code {project}} or {@code {tenant}} in them, such as {@code
 * http://tempo-{project}.tracing:3200}. The placeholders may stand in the host or the path only: in
 * a query string or user info a value could change what the backend reads as its tenant.
 */
final class UrlTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  /** A DNS label that no real host or path uses, to see where the placeholders land. */
  private static final String PROBE = "tollgate-probe-7f3a";

  private UrlTemplate() {}

  static boolean isTemplate(String url) {
    return url.indexOf('{') >= 0 || url.indexOf('}') >= 0;
  }

  static String expand(String template, String project, String tenant) {
    return template.replace("{project}", project).replace("{tenant}", tenant);
  }

  /** Validates a template and returns a URL for it with a probe label in place of each value. */
  static URI check(String template, ConfigNode at) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!m.group(1).equals("project") && !m.group(1).equals("tenant")) {
        at.error("unknown placeholder {" + m.group(1) + "} (use {project} or {tenant})");
        return URI.create("http://invalid/");
      }
    }
    String probed = expand(template, PROBE, PROBE);
    if (isTemplate(probed)) {
      at.error("unbalanced { or } in URL template");
      return URI.create("http://invalid/");
    }
    try {
      URI u = new URI(probed);
      if (contains(u.getRawUserInfo()) || contains(u.getRawQuery()) || contains(u.getRawFragment())) {
        at.error("{project} and {tenant} may only stand in the host or the path, never in the query or user info");
      } else if (!contains(u.getHost()) && !contains(u.getRawPath())) {
        at.error("the URL template must put {project} or {tenant} in the host or the path");
      }
    } catch (URISyntaxException e) {
      // reported by httpUrl below with the usual message
    }
    return Urls.httpUrl(probed, at);
  }

  private static boolean contains(String part) {
    return part != null && part.contains(PROBE);
  }
}
