package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The listener: where Tollgate accepts requests, over TLS or not, how much request data it holds
 * in memory (each body once decompressed, and all bodies together), and how its event loops wait.
 *
 * @param idleSpin how long an event loop that ran out of work keeps polling for more before it
 *     sleeps; {@link Duration#ZERO} (the default) sleeps at once
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long maxInFlightBytes, int eventLoops,
    Duration idleSpin, TlsConfig tls) {
  /** The longest {@code idle_spin} accepted: beyond it spinning only burns the core. */
  public static final Duration MAX_IDLE_SPIN = Duration.ofMillis(1);

  /**
   * The listener's certificate: PEM files, or a PKCS#12 keystore whose password is read from a file.
   * Null fields are the ones not used.
   */
  public record TlsConfig(Path certFile, Path keyFile, Path keystoreFile, Path keystorePasswordFile) {
    static TlsConfig read(ConfigNode n, Path baseDir) {
      if (n.isMissing()) {
        return null;
      }
      n.allowOnly("cert_file", "key_file", "keystore_file", "keystore_password_file");
      Path cert = path(n.get("cert_file"), baseDir);
      Path key = path(n.get("key_file"), baseDir);
      Path store = path(n.get("keystore_file"), baseDir);
      Path password = path(n.get("keystore_password_file"), baseDir);
      boolean pem = cert != null || key != null;
      if (pem && store != null) {
        n.error("give cert_file and key_file (PEM) or keystore_file (PKCS#12), not both");
      } else if (pem && (cert == null || key == null)) {
        n.error("PEM needs both cert_file and key_file");
      } else if (!pem && (store == null || password == null)) {
        n.error("give cert_file and key_file (PEM), or keystore_file with keystore_password_file (PKCS#12)");
      }
      return new TlsConfig(cert, key, store, password);
    }

    private static Path path(ConfigNode n, Path baseDir) {
      String s = n.string(null);
      return s == null ? null : baseDir.resolve(s);
    }
  }

  static ServerConfig read(ConfigNode n, Path baseDir) {
    n.allowOnly("host", "port", "max_body", "max_in_flight", "event_loops", "idle_spin", "tls");
    long maxBody = n.get("max_body").bytes(8L << 20);
    if (maxBody > (1L << 30)) {
      n.get("max_body").error("at most 1GiB");
    }
    // By default half of the heap, which holds the bodies as read (and inflated); their rewritten
    // copies are sent from direct memory, not from the heap.
    long inFlight = n.get("max_in_flight").bytes(Math.max(maxBody, Math.min(256L << 20,
        Runtime.getRuntime().maxMemory() / 2)));
    if (inFlight < maxBody) {
      n.get("max_in_flight").error("must be at least max_body (" + maxBody + " bytes), or no body could be read");
    }
    Duration idleSpin = n.get("idle_spin").fineDuration(Duration.ZERO);
    if (idleSpin.compareTo(MAX_IDLE_SPIN) > 0) {
      n.get("idle_spin").error("at most 1ms (it is CPU spent polling an idle event loop)");
      idleSpin = Duration.ZERO;
    }
    return new ServerConfig(
        n.get("host").string("127.0.0.1"),
        (int) n.get("port").number(4318, 0, 65535),
        maxBody,
        inFlight,
        (int) n.get("event_loops").number(Runtime.getRuntime().availableProcessors(), 1, 256),
        idleSpin,
        TlsConfig.read(n.get("tls"), baseDir));
  }
}
