package dev.tollgate.proxy.web;

import dev.tollgate.config.ProjectConfig;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * Picks the project a request names, the same way for every endpoint: from a {@code
 * /projects/{project}} path prefix, or from the project header when there is none. Two different
 * projects, or a name that is not a DNS label (so no {@code |}, {@code ..}, {@code %2F}), are refused.
 */
public final class ProjectSelector {
  private static final String PROJECTS = "/projects/";
  private final String header;
  private final CharSequence headerName;

  /** @param header the project header's name, e.g. {@code X-Tollgate-Project} */
  public ProjectSelector(String header) {
    this.header = header;
    this.headerName = HttpHeaders.createOptimized(header);
  }

  /** A raw path split into its project prefix (null without one) and the rest. */
  public record Target(String project, String rest) {}

  /** Splits {@code path} (raw, not decoded); costs two index lookups. */
  public static Target split(String path) {
    if (!path.startsWith(PROJECTS)) {
      return new Target(null, path);
    }
    int slash = path.indexOf('/', PROJECTS.length());
    return slash < 0 ? new Target(path.substring(PROJECTS.length()), "")
        : new Target(path.substring(PROJECTS.length(), slash), path.substring(slash));
  }

  /**
   * The project the request names, recorded on its audit record; null after answering 400 (in the
   * exchange's own protocol) when it names none, two, or an invalid one.
   */
  public String select(Exchange x, String pathProject) {
    List<String> headers = x.request().headers().getAll(headerName);
    if (headers.size() > 1 || (!headers.isEmpty() && pathProject != null && !headers.get(0).equals(pathProject))) {
      x.fail(400, "the request names more than one project (path and " + header + " header); name"
          + " exactly one");
      return null;
    }
    String project = pathProject != null ? pathProject : headers.isEmpty() ? null : headers.get(0);
    if (project == null) {
      x.fail(400, "no project: send to /projects/{project}/... or set the " + header + " header");
      return null;
    }
    if (!ProjectConfig.isName(project)) {
      x.fail(400, "invalid project name " + Quoted.of(project)
          + " (lower-case letters, digits and '-')");
      return null;
    }
    x.audit().project(project);
    return project;
  }
}
