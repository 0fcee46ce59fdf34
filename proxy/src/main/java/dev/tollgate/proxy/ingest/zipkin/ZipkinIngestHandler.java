package dev.tollgate.proxy.ingest.zipkin;

import dev.tollgate.auth.Caller;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.web.ProjectSelector;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.web.Authenticator;
import dev.tollgate.proxy.web.BodyReader;
import dev.tollgate.proxy.web.Endpoint;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;
import io.vertx.core.http.HttpMethod;
import java.util.function.Supplier;

/**
 * Zipkin ingest: {@code POST [/projects/{project}]/api/v2/spans}, JSON v2 or proto3, gzip allowed.
 * The same pipeline as OTLP ingest with the span as the unit: each span is decided by its {@code
 * localEndpoint.serviceName}, permitted spans are forwarded byte for byte to the project's Zipkin
 * upstream, the rest are dropped and counted. Zipkin has no partial success, so the answer is 202
 * when anything was accepted (drops are in the audit event and {@code X-Tollgate-Spans-Rejected}),
 * 403 when nothing was.
 */
public final class ZipkinIngestHandler implements Endpoint {
  private final Authenticator authenticator;
  private final Supplier<Policy> policy;
  private final ProjectRoutes routes;
  private final ProjectSelector projects;
  private final int maxBody;

  public ZipkinIngestHandler(Authenticator authenticator, Supplier<Policy> policy, ProjectRoutes routes,
      String projectHeader, long maxBody) {
    this.authenticator = authenticator;
    this.policy = policy;
    this.routes = routes;
    this.projects = new ProjectSelector(projectHeader);
    this.maxBody = (int) Math.min(maxBody, Integer.MAX_VALUE - 16);
  }

  @Override
  public boolean matches(String path) {
    return ProjectSelector.split(path).rest().equals("/api/v2/spans");
  }

  /**
   * Authenticates before the project is looked up, so that whether a project exists or takes Zipkin
   * spans is told only to callers with a valid token.
   */
  @Override
  public void handle(Exchange x) {
    ProjectSelector.Target target = ProjectSelector.split(x.request().path());
    x.audit().target(Action.WRITE.id(), target.project(), Signal.TRACES.id());
    SpanFormat format = SpanFormat.of(x.request().getHeader("content-type"));
    if (x.request().method() != HttpMethod.POST) {
      x.response().putHeader("allow", "POST");
      JsonErrors.fail(x, 405, "Zipkin spans are sent with POST");
      return;
    }
    if (format == null) {
      JsonErrors.fail(x, 415, "Content-Type must be application/json (Zipkin v2 JSON) or application/x-protobuf"
          + " (Zipkin proto3)");
      return;
    }
    authenticator.authenticate(x).onComplete(x.guard(ar -> {
      if (ar.failed()) {
        Authenticator.refuse(x, ar.cause());
      } else {
        resolve(x, format, target, ar.result());
      }
    }));
  }

  private void resolve(Exchange x, SpanFormat format, ProjectSelector.Target target, Caller caller) {
    String project = projects.select(x, target.project());
    if (project == null) {
      return;
    }
    ProjectRoutes.Route route = routes.route(project);
    if (route == null) {
      JsonErrors.fail(x, 404, "unknown project \"" + project + "\"");
      return;
    }
    String name = route.project().zipkinUpstream();
    Upstream upstream = name == null ? null : routes.upstream(name);
    if (upstream == null) {
      JsonErrors.fail(x, 404, "project \"" + project + "\" takes no Zipkin spans (it has no zipkin_upstream)");
      return;
    }
    authorize(x, format, route, upstream, caller);
  }

  private void authorize(Exchange x, SpanFormat format, ProjectRoutes.Route route, Upstream upstream, Caller caller) {
    Grant grant = policy.get().grant(caller.identity(), Action.WRITE, route.project().name(), Signal.TRACES);
    if (!grant.allowsAny()) {
      x.audit().decision(grant.overall());
      JsonErrors.fail(x, 403, grant.overall().reason());
      return;
    }
    BodyReader.read(x, maxBody).onComplete(x.guard(ar -> {
      if (ar.succeeded()) {
        x.bodyRead();
        ZipkinSpanForwarder.forward(x, format, route.project(), upstream, grant, ar.result());
      } else {
        JsonErrors.fail(x, BodyReader.status(ar.cause()), ar.cause().getMessage());
      }
    }));
  }
}
