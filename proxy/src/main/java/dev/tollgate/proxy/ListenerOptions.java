package dev.tollgate.proxy;

import io.vertx.core.http.HttpServerOptions;

/** The HTTP listener's options, before TLS is added (ServerVerticle). */
public final class ListenerOptions {
  private ListenerOptions() {}

  /**
   * The listener's options before TLS. No decompression in the pipeline: BodyReader inflates the
   * bodies it reads (with a pooled inflater and the size limit applied as it inflates), and no other
   * request has a body. No WebSocket compression either: Tollgate serves no WebSocket, and with it
   * on, Vert.x puts an extension handler in every connection's pipeline that looks at every request
   * and every answer for a handshake (0.6% of the event loop in the small batch's profile). Public
   * for the bench's bare proxy, which measures the stack with the listener's own options.
   */
  public static HttpServerOptions plain() {
    return new HttpServerOptions()
        .setIdleTimeout(120)
        .setTcpNoDelay(true)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }
}
