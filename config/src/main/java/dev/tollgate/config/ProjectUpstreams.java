package dev.tollgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that each project's upstreams speak what the project uses them for, and turns template
 * upstreams into one concrete upstream per project that uses them.
 */
final class ProjectUpstreams {
  private ProjectUpstreams() {}

  /**
   * Returns the projects with template references renamed to their expansions, after adding the
   * expansions to {@code upstreams} and removing the templates from it.
   */
  static List<ProjectConfig> resolve(List<ProjectConfig> projects, Map<String, UpstreamConfig> upstreams,
      ConfigNode projectList) {
    // Only a list yields projects, so asking for its elements again reports nothing twice.
    List<ConfigNode> at = projects.isEmpty() ? List.of() : projectList.list();
    Map<String, UpstreamConfig> templates = new java.util.LinkedHashMap<>();
    upstreams.forEach((name, u) -> {
      if (u.isTemplate()) {
        templates.put(name, u);
      }
    });
    List<ProjectConfig> out = new ArrayList<>();
    for (int i = 0; i < projects.size(); i++) {
      ProjectConfig p = projects.get(i);
      ConfigNode n = at.get(i);
      check(p.upstream(), n.get("upstream"), upstreams, Set.of(Backend.OTLP), "OTLP ingest");
      check(p.zipkinUpstream(), n.get("zipkin_upstream"), upstreams, Set.of(Backend.ZIPKIN), "Zipkin ingest");
      check(p.queryUpstream(), n.get("query_upstream"), upstreams,
          Set.of(Backend.ZIPKIN, Backend.JAEGER, Backend.TEMPO), "trace queries");
      out.add(p.name() == null ? p : p.withUpstreams(expand(p.upstream(), p, templates, upstreams),
          expand(p.zipkinUpstream(), p, templates, upstreams), expand(p.queryUpstream(), p, templates, upstreams)));
    }
    templates.keySet().forEach(upstreams::remove);
    return List.copyOf(out);
  }

  private static void check(String name, ConfigNode at, Map<String, UpstreamConfig> upstreams, Set<Backend> allowed,
      String use) {
    if (name == null || at.isMissing()) {
      return; // the default ingest upstream is checked by TollgateConfig
    }
    UpstreamConfig u = upstreams.get(name);
    if (u == null) {
      at.error("unknown upstream \"" + name + "\"" + Suggestions.didYouMean(name, upstreams.keySet()));
    } else if (!allowed.contains(u.backend())) {
      at.error("upstream \"" + name + "\" is a " + u.backend().id() + " backend, which cannot serve " + use);
    }
  }

  private static String expand(String name, ProjectConfig p, Map<String, UpstreamConfig> templates,
      Map<String, UpstreamConfig> upstreams) {
    UpstreamConfig t = name == null ? null : templates.get(name);
    if (t == null) {
      return name;
    }
    UpstreamConfig copy = t.forProject(p);
    upstreams.put(copy.name(), copy);
    return copy.name();
  }
}
