package dev.tollgate.proxy.upstream;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What Tollgate presents to an upstream in place of the caller's token. Implementations keep the
 * current value in memory and refresh it off the event loop.
 */
public sealed interface UpstreamCredential permits StaticFileCredential, NoCredential {
  /** The header to set, or {@code null} when nothing is sent. */
  String header();

  /** The header's current value, or {@code null} when none is loaded yet. */
  String headerValue();

  /** Whether a usable credential is loaded. */
  boolean ready();

  /** The credential's kind as named in config and audit events, never its value. */
  String kind();

  /** Starts loading and background refresh; completes when the first load was attempted. */
  Future<Void> start();

  /** Stops background refresh. */
  void close();

  /** Builds the credential a config names. */
  static UpstreamCredential create(Vertx vertx, CredentialConfig config) {
    if (config instanceof CredentialConfig.StaticFile f) {
      return new StaticFileCredential(vertx, f);
    }
    return new NoCredential();
  }
}
