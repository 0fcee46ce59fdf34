package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.ProjectSelector;
import dev.tollgate.proxy.web.Quoted;
import dev.tollgate.auth.Caller;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.config.QueryConfig;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.web.Authenticator;
import dev.tollgate.proxy.web.Endpoint;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.function.Supplier;

/**
 * Trace queries: {@code GET [/projects/{project}]/api/...}, answered from the project's query
 * backend (Zipkin, Jaeger or Tempo) with only what the caller may read. Authenticates, authorizes
 * read on the project, checks the query against the caller's services, and filters the answer.
 * {@code POST .../api/v2/spans} is Zipkin ingest and goes to {@code spans}.
 */
public final class QueryEndpoint implements Endpoint {
  private final Authenticator authenticator;
  private final Supplier<Policy> policy;
  private final ProjectRoutes routes;
  private final ProjectSelector projects;
  private final QueryConfig config;
  private final Endpoint spans;
  private final QueryForwarder forwarder;

  /**
   * @param projectHeader the header naming the project when the path does not
   * @param spans the Zipkin ingest endpoint, for {@code POST /api/v2/spans}
   */
  public QueryEndpoint(Vertx vertx, Authenticator authenticator, Supplier<Policy> policy, ProjectRoutes routes,
      String projectHeader, QueryConfig config, Endpoint spans) {
    this.authenticator = authenticator;
    this.policy = policy;
    this.routes = routes;
    this.projects = new ProjectSelector(projectHeader);
    this.config = config;
    this.spans = spans;
    this.forwarder = new QueryForwarder(vertx, config);
  }

  /** {@code /api/...} or {@code /projects/{p}/api/...}; the path itself is checked per backend. */
  @Override
  public boolean matches(String path) {
    return ProjectSelector.split(path).rest().startsWith("/api/");
  }

  /**
   * Authenticates before anything else is looked up, so that whether a project exists or has a
   * backend is told only to callers with a valid token.
   */
  @Override
  public void handle(Exchange x) {
    ProjectSelector.Target target = ProjectSelector.split(x.request().path());
    if (x.request().method() == HttpMethod.POST && target.rest().equals("/api/v2/spans")) {
      spans.handle(x);
      return;
    }
    x.answersWithData();
    x.audit().target(Action.READ.id(), target.project(), Signal.TRACES.id());
    if (x.request().method() != HttpMethod.GET) {
      x.response().putHeader("allow", "GET");
      JsonErrors.fail(x, 405, "trace queries take GET");
      return;
    }
    authenticator.authenticate(x).onComplete(x.guard(ar -> {
      if (ar.failed()) {
        Authenticator.refuse(x, ar.cause());
      } else {
        resolve(x, target, ar.result());
      }
    }));
  }

  private void resolve(Exchange x, ProjectSelector.Target target, Caller caller) {
    String project = projects.select(x, target.project());
    if (project == null) {
      return;
    }
    ProjectRoutes.Route route = routes.route(project);
    if (route == null) {
      JsonErrors.fail(x, 404, "unknown project " + Quoted.of(project));
      return;
    }
    ProjectConfig p = route.project();
    Upstream backend = p.queryUpstream() == null ? null : routes.upstream(p.queryUpstream());
    if (backend == null) {
      JsonErrors.fail(x, 404, "project " + Quoted.of(project) + " has no trace backend to query");
      return;
    }
    query(x, target.rest(), p, backend, caller);
  }

  private void query(Exchange x, String path, ProjectConfig project, Upstream backend, Caller caller) {
    QueryBackend adapter = QueryBackend.of(backend.config().backend());
    QueryTally tally = new QueryTally(backend.config().backend().id(), config.auditTraceIds());
    x.audit().query(tally.audit());
    Grant grant = policy.get().grant(caller.identity(), Action.READ, project.name(), Signal.TRACES);
    x.audit().decision(grant.overall());
    if (!grant.allowsAny()) {
      JsonErrors.fail(x, 403, grant.overall().reason());
      return;
    }
    TraceScope scope = new TraceScope(grant, adapter.foldsCase(), config.redact());
    QueryPlan plan;
    try {
      plan = adapter.plan(path, QueryParams.parse(x.request().query()), scope, tally);
    } catch (QueryRefused e) {
      if (e.decision() != null) {
        x.audit().decision(e.decision());
      }
      x.audit().query(tally.audit());
      JsonErrors.fail(x, e.status(), e.getMessage());
      return;
    }
    forwarder.send(x, project, backend, plan, scope, tally);
  }
}
