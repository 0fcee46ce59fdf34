package dev.tollgate.proxy;

import io.vertx.core.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Resolves "any free port" to one port, so that every listener instance can share it. */
final class FreePort {
  private FreePort() {}

  /** Binds and lets go; may look {@code host} up, so it may not run on an event loop. */
  static int on(String host) throws IOException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("FreePort binds and may look a name up: not on an event loop");
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
