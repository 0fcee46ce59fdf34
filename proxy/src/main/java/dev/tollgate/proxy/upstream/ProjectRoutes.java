package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.CredentialMetrics;
import dev.tollgate.auth.upstream.MintingKeys;
import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which upstream serves each project, built once from config, with each upstream's credential and
 * Tollgate's own signing keys when any upstream takes minted tokens.
 */
public final class ProjectRoutes {
  /** A project and the backend its telemetry goes to. */
  public record Route(ProjectConfig project, Upstream upstream) {}

  private final Map<String, Route> routes = new HashMap<>();
  private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
  private final MintingKeys mintingKeys;

  /** Routes with credentials timed by the system clock. */
  public ProjectRoutes(Vertx vertx, TollgateConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** @param clock decides token refresh, expiry and key rotation */
  public ProjectRoutes(Vertx vertx, TollgateConfig config, Clock clock) {
    this.mintingKeys = config.identity() == null ? null : new MintingKeys(vertx, config.identity(), clock);
    config.upstreams().forEach((name, u) -> upstreams.put(name, new Upstream(vertx, u,
        UpstreamCredential.create(vertx, clock, u.credential(), u.url(), mintingKeys))));
    for (ProjectConfig p : config.projects()) {
      routes.put(p.name(), new Route(p, upstreams.get(p.upstream())));
    }
  }

  /** The route for a project, or {@code null} for a project that is not configured. */
  public Route route(String project) {
    return routes.get(project);
  }

  /**
   * Generates the first signing keys, then starts every upstream's credential; completes when each
   * had its first attempt (a down IdP does not stop Tollgate from starting; readiness says so).
   */
  public Future<Void> start() {
    Future<Void> keys = mintingKeys == null ? Future.succeededFuture() : mintingKeys.start();
    return keys.compose(v -> {
      List<Future<Void>> starts = new ArrayList<>();
      upstreams.values().forEach(u -> starts.add(u.credential().start()));
      return Future.all(starts).mapEmpty();
    });
  }

  /** Upstreams whose credential is not usable now, by name; empty when all are ready. */
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

  /** Tollgate's signing keys, published at {@code /.well-known/jwks.json}; null without an identity. */
  public MintingKeys mintingKeys() {
    return mintingKeys;
  }

  /** Each upstream's credential metrics by upstream name, for self-telemetry. */
  public Map<String, CredentialMetrics> credentialMetrics() {
    Map<String, CredentialMetrics> out = new LinkedHashMap<>();
    upstreams.forEach((name, u) -> out.put(name, u.credential().metrics()));
    return out;
  }

  public Future<Void> close() {
    if (mintingKeys != null) {
      mintingKeys.close();
    }
    List<Future<Void>> closes = new ArrayList<>();
    upstreams.values().forEach(u -> closes.add(u.close()));
    return Future.all(closes).mapEmpty();
  }
}
