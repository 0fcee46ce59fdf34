package dev.tollgate.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Resolves "any free port" to one port, so that every listener instance can share it. */
final class FreePort {
  private FreePort() {}

  static int on(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
