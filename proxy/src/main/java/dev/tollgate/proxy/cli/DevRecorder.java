package dev.tollgate.proxy.cli;

import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.ingest.OtlpPayload;
import dev.tollgate.proxy.ingest.PayloadFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The dev mode's stand-in for an OpenTelemetry collector: accepts OTLP/HTTP, checks that it came
 * with Tollgate's upstream credential, and prints which services' resources arrived.
 */
final class DevRecorder {
  private final Vertx vertx;
  private final String expectedAuthorization;
  private final PrintStream out;

  DevRecorder(Vertx vertx, String expectedAuthorization, PrintStream out) {
    this.vertx = vertx;
    this.expectedAuthorization = expectedAuthorization;
    this.out = out;
  }

  Future<HttpServer> listen(int port) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
  }

  private void handle(HttpServerRequest req) {
    Signal signal = req.path().startsWith("/v1/") ? Signal.parse(req.path().substring(4)) : null;
    PayloadFormat format = PayloadFormat.fromContentType(req.getHeader("content-type"));
    if (signal == null || format == null) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (!expectedAuthorization.equals(req.getHeader("authorization"))) {
      out.println("recorder: refused a request without Tollgate's upstream credential");
      req.response().setStatusCode(401).end();
      return;
    }
    req.body().onSuccess(body -> {
      byte[] bytes = body.getBytes();
      OtlpPayload payload = OtlpPayload.read(signal, format, bytes, 0, bytes.length);
      List<String> services = new ArrayList<>();
      for (int i = 0; i < payload.resourceCount(); i++) {
        services.add(payload.serviceName(i));
      }
      out.println("recorder: accepted " + signal.id() + " for tenant " + req.getHeader("x-scope-orgid")
          + " from services " + services);
      req.response().putHeader("content-type", format.contentType())
          .end(format == PayloadFormat.JSON ? "{}" : "");
    });
  }
}
