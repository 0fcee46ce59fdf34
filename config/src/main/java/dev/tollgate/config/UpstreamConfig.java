package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A backend Tollgate forwards to, with its own credential and tenant header.
 *
 * @param backend what the upstream speaks; {@link Backend#OTLP} unless configured
 * @param urlTemplate the URL as written when it names {@code {project}} or {@code {tenant}}: such
 *     an upstream is a template, and each project that uses it gets its own copy (see {@link
 *     #forProject}); null for a plain upstream
 */
public record UpstreamConfig(
    String name, URI url, CredentialConfig credential, String tenantHeader, Duration timeout, int poolSize,
    Backend backend, String urlTemplate) {

  /** A plain OTLP upstream. */
  public UpstreamConfig(String name, URI url, CredentialConfig credential, String tenantHeader, Duration timeout,
      int poolSize) {
    this(name, url, credential, tenantHeader, timeout, poolSize, Backend.OTLP, null);
  }

  /**
   * Headers Tollgate writes on every upstream request itself (the credential's own default header,
   * Authorization, among them). A configured header of the same name would be sent twice, and two
   * lengths or hosts are what request smuggling is made of.
   */
  public static final List<String> HEADERS_SET_BY_TOLLGATE =
      List.of("host", "content-type", "content-length", "transfer-encoding", "connection", "authorization");

  /** Whether {@code name} is one of {@link #HEADERS_SET_BY_TOLLGATE}, in any case. */
  public static boolean setByTollgate(String name) {
    for (String own : HEADERS_SET_BY_TOLLGATE) {
      if (own.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  static UpstreamConfig read(String name, ConfigNode n, Path baseDir) {
    n.allowOnly("url", "credential", "tenant_header", "timeout", "pool_size", "backend");
    String url = n.get("url").string();
    String template = url != null && UrlTemplate.isTemplate(url) ? url : null;
    URI uri;
    if (url == null) {
      uri = URI.create("http://invalid/");
    } else if (template != null) {
      uri = UrlTemplate.check(template, n.get("url"));
    } else {
      uri = Urls.httpUrl(url, n.get("url"));
    }
    CredentialConfig credential = CredentialConfig.read(n.get("credential"), baseDir);
    String tenantHeader = n.get("tenant_header").string(null);
    checkHeaders(n, tenantHeader, credential);
    return new UpstreamConfig(
        name,
        uri,
        credential,
        tenantHeader,
        n.get("timeout").duration(Duration.ofSeconds(10)),
        (int) n.get("pool_size").number(64, 1, 10_000),
        Backend.read(n.get("backend")),
        template);
  }

  /** Refuses a tenant or credential header that would repeat one Tollgate sets, or each other. */
  private static void checkHeaders(ConfigNode n, String tenantHeader, CredentialConfig credential) {
    String tenantProblem = tenantHeaderProblem(tenantHeader);
    if (tenantProblem != null) {
      n.get("tenant_header").error(tenantProblem);
    }
    // a tenant header already refused is not reported twice (the credential's may be the default)
    String credentialProblem = credentialHeaderProblem(credential.header(), tenantProblem == null ? tenantHeader : null);
    if (credentialProblem != null) {
      n.get("credential").get("header").error(credentialProblem);
    }
  }

  /** Why {@code tenantHeader} cannot be used, or null (also for none). */
  public static String tenantHeaderProblem(String tenantHeader) {
    return tenantHeader != null && setByTollgate(tenantHeader)
        ? "cannot be " + tenantHeader + ", a header Tollgate sets itself" : null;
  }

  /**
   * Why the credential cannot be presented in {@code header}, or null (also for none): it would
   * repeat a header Tollgate sets itself (Authorization, its default, aside) or the tenant header.
   */
  public static String credentialHeaderProblem(String header, String tenantHeader) {
    if (header == null) {
      return null;
    }
    if (!header.equalsIgnoreCase("authorization") && setByTollgate(header)) {
      return "cannot be " + header + ", a header Tollgate sets itself";
    }
    if (header.equalsIgnoreCase(tenantHeader)) {
      return "cannot be " + header + ": it is this upstream's tenant_header; pick another header";
    }
    return null;
  }

  /** Whether this upstream is a URL template that each project expands. */
  public boolean isTemplate() {
    return urlTemplate != null;
  }

  /**
   * This template's copy for {@code project}, named {@code name[project]}. Project names and
   * tenants are DNS labels, so the expansion can only fill a host label or a path segment.
   */
  public UpstreamConfig forProject(ProjectConfig project) {
    URI expanded;
    try {
      expanded = URI.create(UrlTemplate.expand(urlTemplate, project.name(), project.tenant()));
    } catch (IllegalArgumentException e) {
      expanded = URI.create("http://invalid/"); // the template's own error is already reported
    }
    return new UpstreamConfig(name + "[" + project.name() + "]", expanded, credential, tenantHeader, timeout,
        poolSize, backend, null);
  }
}
