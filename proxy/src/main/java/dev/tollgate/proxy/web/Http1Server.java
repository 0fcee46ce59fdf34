package dev.tollgate.proxy.web;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * Tollgate's HTTP/1.1 listener: a Vert.x TCP server (its event loops, TLS and idle timeout) whose
 * connections carry Tollgate's {@link RequestDecoder} and an {@link Http1Connection}, which writes
 * its answers' bytes itself ({@link ResponseEncoding}), instead of Vert.x's HTTP server. What is left
 * out is the layer above Netty's codec,
 * which the bench measured at 1.3–2.4 µs of a small request (bench/RESULTS.md). HTTP/2 is not
 * served here.
 */
public final class Http1Server {
  /** The longest request line, and the largest header block, the decoder reads (414 and 431 beyond). */
  public static final int MAX_REQUEST_LINE = 4096;
  public static final int MAX_HEADERS = 8192;
  /** The largest body chunk the decoder hands on at once. */
  static final int MAX_CHUNK = 8192;

  private Http1Server() {}

  /**
   * Listens on {@code host:port} with {@code options} (TLS, idle timeout, socket options) and serves
   * {@code routes}; call it on the event loop context that is to serve the connections.
   */
  public static Future<NetServer> listen(Vertx vertx, NetServerOptions options, Routes routes, String host, int port) {
    return vertx.createNetServer(options)
        // the connect handler runs on the context that serves the connection (the listening verticle's)
        .connectHandler(socket -> install((NetSocketInternal) socket, (ContextInternal) vertx.getOrCreateContext(), routes))
        .exceptionHandler(Http1Server::connectionFailed)
        .listen(port, host);
  }

  private static void install(NetSocketInternal socket, ContextInternal context, Routes routes) {
    ChannelPipeline p = socket.channelHandlerContext().pipeline();
    // The codec goes before the idle timeout's handler, as in Vert.x's own HTTP server: that handler
    // then counts decoded requests, not bytes, and a client sending its headers a byte a minute is
    // still closed when the timeout passes.
    String codecBefore = p.get("idle") != null ? "idle" : "handler";
    p.addBefore(codecBefore, "http-decoder", new RequestDecoder());
    p.addBefore("handler", "http", new Http1Connection(context, routes));
  }

  /**
   * Logs a connection's failure (a reset, a TLS handshake) by its kind only: a decoder's message may
   * quote a header, and a header may be a token.
   */
  static void connectionFailed(Throwable t) {
    System.getLogger(Http1Server.class.getName()).log(System.Logger.Level.DEBUG,
        () -> "connection failure (" + t.getClass().getName() + ")");
  }
}
