package dev.tollgate.proxy.ingest;

import dev.tollgate.auth.Caller;
import dev.tollgate.config.IngestConfig;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import dev.tollgate.proxy.web.Authenticator;
import dev.tollgate.proxy.web.BodyReader;
import dev.tollgate.proxy.web.Endpoint;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.ProjectSelector;
import dev.tollgate.proxy.web.Http1Request;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.function.Supplier;

/**
 * OTLP/HTTP ingest: {@code POST [/projects/{project}]/v1/{traces|metrics|logs}}. Authenticates,
 * authorizes per resource, forwards what is permitted and answers in OTLP.
 */
public final class IngestHandler implements Endpoint {
  private static final Exchange.Failure OTLP_FAILURE = (x, status, reason) -> OtlpReplies.fail(x,
      PayloadFormat.fromContentType(x.request().getHeader(HttpHeaders.CONTENT_TYPE)), status, reason);

  private final Authenticator authenticator;
  private final Supplier<Policy> policy;
  private final ProjectRoutes routes;
  private final IngestConfig config;
  private final int maxBody;
  private final IngestForwarder forwarder;
  private final ProjectSelector projects;

  public IngestHandler(Authenticator authenticator, Supplier<Policy> policy, ProjectRoutes routes,
      IngestConfig config, long maxBody) {
    this.authenticator = authenticator;
    this.policy = policy;
    this.routes = routes;
    this.config = config;
    this.maxBody = (int) Math.min(maxBody, Integer.MAX_VALUE - 16);
    this.forwarder = new IngestForwarder(config.provenance());
    this.projects = new ProjectSelector(config.projectHeader());
  }

  /** {@code /v1/...} or {@code /projects/{p}/v1/...}; the signal itself is checked in {@link #handle}. */
  @Override
  public boolean matches(String path) {
    return ProjectSelector.split(path).rest().startsWith("/v1/");
  }

  @Override
  public void handle(Exchange x) {
    ProjectSelector.Target target = ProjectSelector.split(x.request().path());
    String project = target.project();
    Signal signal = Signal.parse(target.rest().substring(4));
    if (signal == null) {
      x.fail(404, "no such route (OTLP signals are traces, metrics and logs)");
    } else if (x.request().method() != HttpMethod.POST) {
      x.response().putHeader("allow", "POST");
      x.fail(405, "OTLP export takes POST");
    } else {
      handle(x, signal, project);
    }
  }

  /** Handles one paused ingest request for {@code signal}; {@code pathProject} is null without a prefix. */
  private void handle(Exchange x, Signal signal, String pathProject) {
    Http1Request req = x.request();
    PayloadFormat format = PayloadFormat.fromContentType(req.getHeader(HttpHeaders.CONTENT_TYPE));
    x.audit().target(Action.WRITE.id(), pathProject, signal.id());
    if (format == null) {
      OtlpReplies.fail(x, null, 415, "Content-Type must be application/x-protobuf or application/json");
      return;
    }
    String project = projects.select(x, pathProject);
    if (project == null) {
      return;
    }
    // Authenticate before looking the project up, so that which projects exist is not told to
    // anyone without a token.
    authenticator.authenticate(x).onComplete(x.guard(ar -> {
      if (ar.failed()) {
        Authenticator.refuse(x, ar.cause());
        return;
      }
      ProjectRoutes.Route route = routes.route(project);
      if (route == null) {
        OtlpReplies.fail(x, format, 404, "unknown project \"" + project + "\"");
      } else {
        authorize(x, format, signal, route, ar.result());
      }
    }));
  }

  /**
   * Errors in the request's OTLP encoding ({@code google.rpc.Status} for protobuf), JSON otherwise.
   * The Content-Type is read only when an error is answered: one shared failure serves every request.
   */
  @Override
  public Exchange.Failure failure(Http1Request request) {
    return OTLP_FAILURE;
  }

  private void authorize(Exchange x, PayloadFormat format, Signal signal, ProjectRoutes.Route route, Caller caller) {
    Policy p = policy.get();
    Grant grant = p.grant(caller.identity(), Action.WRITE, route.project().name(), signal);
    if (!grant.allowsAny()) {
      x.audit().decision(grant.overall());
      OtlpReplies.fail(x, format, 403, grant.overall().reason());
      return;
    }
    BodyReader.read(x, maxBody).onComplete(x.guard(ar -> {
      if (ar.succeeded()) {
        x.bodyRead();
        forwarder.forward(x, format, signal, route, caller, grant, ar.result());
      } else {
        OtlpReplies.fail(x, format, BodyReader.status(ar.cause()), ar.cause().getMessage());
      }
    }));
  }
}
