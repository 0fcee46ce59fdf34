package dev.tollgate.proxy;

import dev.tollgate.config.ServerConfig;
import dev.tollgate.proxy.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/** One event loop's share of the listener; every instance serves the same port. */
final class ServerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ServerVerticle.class.getName());
  private final ServerConfig server;
  private final int port;
  private final Routes routes;
  private final IntConsumer boundPort;

  ServerVerticle(ServerConfig server, int port, Routes routes, IntConsumer boundPort) {
    this.server = server;
    this.port = port;
    this.routes = routes;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return options().compose(options -> vertx.createHttpServer(options)
        .requestHandler(routes::handle)
        .invalidRequestHandler(routes::invalid)
        .exceptionHandler(ServerVerticle::connectionFailed)
        .listen(port, server.host())
        .onSuccess(s -> boundPort.accept(s.actualPort())));
  }

  /**
   * Logs a connection's failure by its kind only. Vert.x's own handler logs the whole exception (at
   * TRACE), and the decoder's exception for a refused header quotes the header: a token, maybe.
   */
  static void connectionFailed(Throwable t) {
    LOG.log(System.Logger.Level.DEBUG, () -> "connection failure (" + t.getClass().getName() + ")");
  }

  /** The listener's options; the keystore password is read through Vert.x's async file system. */
  private Future<HttpServerOptions> options() {
    HttpServerOptions options = ListenerOptions.plain();
    ServerConfig.TlsConfig tls = server.tls();
    if (tls == null) {
      return Future.succeededFuture(options);
    }
    options.setSsl(true);
    if (tls.certFile() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString()));
      return Future.succeededFuture(options);
    }
    return vertx.fileSystem().readFile(tls.keystorePasswordFile().toString()).map(pw -> options.setKeyCertOptions(
        new PfxOptions().setPath(tls.keystoreFile().toString())
            .setPassword(pw.toString(StandardCharsets.UTF_8).strip())));
  }
}
