package dev.tollgate.config;

/**
 * The listener: where Tollgate accepts requests and how large a request body may be once
 * decompressed.
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int eventLoops) {
  static ServerConfig read(ConfigNode n) {
    n.allowOnly("host", "port", "max_body", "event_loops");
    return new ServerConfig(
        n.get("host").string("127.0.0.1"),
        (int) n.get("port").number(4318, 0, 65535),
        n.get("max_body").bytes(8L << 20),
        (int) n.get("event_loops").number(Runtime.getRuntime().availableProcessors(), 1, 256));
  }
}
