package dev.tollgate.auth.upstream;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;

/**
 * What Tollgate presents to an upstream in place of the caller's token. Implementations keep what
 * they can in memory and refresh it off the event loop; presenting a cached credential costs a
 * field read, and only a missing one waits for I/O (shared by every request that waits).
 *
 * <p>Futures may complete on another Vert.x context than the caller's; callers that need their own
 * context hop back to it.
 */
public sealed interface UpstreamCredential
    permits NoCredential, StaticFileCredential, ClientCredentialsGrant, TokenExchangeGrant, MintedCredential {

  /** The kind as named in config and audit events (e.g. {@code client-credentials}), never a value. */
  String kind();

  /**
   * The credential for one request. Fails with {@link CredentialUnavailable} when none can be had
   * now; the sender should then be asked to retry.
   */
  Future<Presentation> present(OnBehalfOf who);

  /**
   * A replacement for {@code refused}, which the upstream answered with 401 or 403. Fetches (or
   * re-reads, or re-mints) at most once however many requests were refused with the same
   * credential; returns the already renewed one when another request renewed it first. Fails with
   * {@link CredentialUnavailable} when no different credential can be had.
   */
  Future<Presentation> renew(OnBehalfOf who, Presentation refused);

  /** Whether a usable credential is at hand now (readiness). */
  boolean ready();

  /** Starts loading and background refresh; completes when the first attempt ended, also when it failed. */
  Future<Void> start();

  /** Stops background refresh and releases clients. */
  void close();

  /** Token age, time to expiry, refreshes, failures and refusals. */
  CredentialMetrics metrics();

  /**
   * Builds the credential a config names; nothing is read or fetched until {@link #start}.
   *
   * @param upstreamUrl the upstream's URL, the default audience of minted tokens
   * @param keys Tollgate's signing keys; required only for {@code minted}
   */
  static UpstreamCredential create(Vertx vertx, Clock clock, CredentialConfig config, URI upstreamUrl,
      MintingKeys keys) {
    if (config instanceof CredentialConfig.StaticFile f) {
      return new StaticFileCredential(vertx, f, clock);
    }
    if (config instanceof CredentialConfig.ClientCredentials c) {
      return new ClientCredentialsGrant(vertx, c, clock);
    }
    if (config instanceof CredentialConfig.TokenExchange t) {
      return new TokenExchangeGrant(vertx, t, clock);
    }
    if (config instanceof CredentialConfig.Minted m) {
      if (keys == null) {
        throw new IllegalArgumentException("a minted credential needs Tollgate's identity and signing keys");
      }
      return new MintedCredential(vertx, m, upstreamUrl, keys, clock);
    }
    return new NoCredential();
  }
}
