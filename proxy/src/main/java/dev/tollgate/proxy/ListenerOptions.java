package dev.tollgate.proxy;

import io.vertx.core.net.NetServerOptions;

/** The listener's socket options, before TLS is added (ServerVerticle). */
public final class ListenerOptions {
  private ListenerOptions() {}

  /**
   * The listener's options before TLS: a connection idle for two minutes is closed, and answers
   * leave without Nagle's delay. The HTTP codec and its limits are {@code Http1Server}'s.
   */
  public static NetServerOptions plain() {
    return new NetServerOptions()
        .setIdleTimeout(120)
        .setTcpNoDelay(true);
  }
}
