package dev.tollgate.proxy.upstream;

import dev.tollgate.config.ProjectConfig;
import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which upstream serves each project, built once from config. */
public final class ProjectRoutes {
  /** A project and the backend its telemetry goes to. */
  public record Route(ProjectConfig project, Upstream upstream) {}

  private final Map<String, Route> routes = new HashMap<>();
  private final Map<String, Upstream> upstreams = new HashMap<>();

  public ProjectRoutes(Vertx vertx, TollgateConfig config) {
    config.upstreams().forEach((name, u) ->
        upstreams.put(name, new Upstream(vertx, u, UpstreamCredential.create(vertx, u.credential()))));
    for (ProjectConfig p : config.projects()) {
      routes.put(p.name(), new Route(p, upstreams.get(p.upstream())));
    }
  }

  /** The route for a project, or {@code null} for a project that is not configured. */
  public Route route(String project) {
    return routes.get(project);
  }

  /** Starts every upstream's credential; completes when each had its first load. */
  public Future<Void> start() {
    List<Future<Void>> starts = new ArrayList<>();
    upstreams.values().forEach(u -> starts.add(u.credential().start()));
    return Future.all(starts).mapEmpty();
  }

  /** Upstreams whose credential is not loaded, by name; empty when all are ready. */
  public List<String> notReady() {
    List<String> out = new ArrayList<>();
    upstreams.forEach((name, u) -> {
      if (!u.credential().ready()) {
        out.add(name);
      }
    });
    return out;
  }

  public Upstream upstream(String name) {
    return upstreams.get(name);
  }

  public Future<Void> close() {
    List<Future<Void>> closes = new ArrayList<>();
    upstreams.values().forEach(u -> closes.add(u.close()));
    return Future.all(closes).mapEmpty();
  }
}
