package dev.tollgate.proxy;

import dev.tollgate.proxy.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.IntConsumer;

/** One event loop's share of the listener; every instance serves the same port. */
final class ServerVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Routes routes;
  private final IntConsumer boundPort;

  ServerVerticle(String host, int port, Routes routes, IntConsumer boundPort) {
    this.host = host;
    this.port = port;
    this.routes = routes;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setDecompressionSupported(true)
        .setIdleTimeout(120)
        .setTcpNoDelay(true);
    return vertx.createHttpServer(options)
        .requestHandler(routes::handle)
        .listen(port, host)
        .onSuccess(s -> boundPort.accept(s.actualPort()));
  }
}
