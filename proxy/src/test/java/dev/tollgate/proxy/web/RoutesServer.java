package dev.tollgate.proxy.web;

import dev.tollgate.proxy.Tollgate;
import dev.tollgate.config.AuditConfig;
import dev.tollgate.proxy.audit.AuditLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link Routes} over the given endpoints on a loopback port, audited to a file in {@code dir}. */
final class RoutesServer implements AutoCloseable {
  final Vertx vertx;
  final AuditLog audit;
  final NetServer server;
  final InFlight inFlight;

  private RoutesServer(Vertx vertx, AuditLog audit, NetServer server, InFlight inFlight) {
    this.vertx = vertx;
    this.audit = audit;
    this.server = server;
    this.inFlight = inFlight;
  }

  static RoutesServer start(Path dir, List<Endpoint> endpoints, long inFlightBytes) throws Exception {
    return start(dir, endpoints, inFlightBytes, new NetServerOptions());
  }

  /** The same, listening with {@code options} (an idle timeout, say). */
  static RoutesServer start(Path dir, List<Endpoint> endpoints, long inFlightBytes, NetServerOptions options)
      throws Exception {
    return start(new AuditConfig(dir.resolve("audit.jsonl"), 1024), Map.of(), endpoints, inFlightBytes, options);
  }

  /** The same, with {@code open} routes, audited as {@code auditConfig} says (to a file that fails, say). */
  static RoutesServer start(AuditConfig auditConfig, Map<String, Handler<Http1Request>> open, List<Endpoint> endpoints,
      long inFlightBytes, NetServerOptions options) throws Exception {
    Vertx vertx = Tollgate.newVertx(new VertxOptions());
    AuditLog audit = AuditLog.open(auditConfig);
    InFlight inFlight = new InFlight(inFlightBytes);
    Routes routes = new Routes(open, endpoints, audit, Clock.systemUTC(), inFlight);
    NetServer server = Http1Server.listen(vertx, options, routes, "127.0.0.1", 0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new RoutesServer(vertx, audit, server, inFlight);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  @Override
  public void close() throws Exception {
    audit.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
