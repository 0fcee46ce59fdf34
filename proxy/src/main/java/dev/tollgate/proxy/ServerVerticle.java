package dev.tollgate.proxy;

import dev.tollgate.config.ServerConfig;
import dev.tollgate.proxy.web.Http1Server;
import dev.tollgate.proxy.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/** One event loop's share of the listener; every instance serves the same port. */
final class ServerVerticle extends VerticleBase {
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
    return options().compose(options -> Http1Server.listen(vertx, options, routes, server.host(), port)
        .onSuccess(s -> boundPort.accept(s.actualPort())));
  }

  /** The listener's options; the keystore password is read through Vert.x's async file system. */
  private Future<NetServerOptions> options() {
    NetServerOptions options = ListenerOptions.plain();
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
