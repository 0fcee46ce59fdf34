package dev.tollgate.auth.upstream;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.tollgate.config.IdentityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tollgate's own signing identity: one key ring per minting algorithm in use, rotated on the
 * identity's schedule, and the public key set served at {@code /.well-known/jwks.json}. Private keys
 * live in memory only and die with the process.
 */
public final class MintingKeys {
  /** Verifiers may cache the key set at most this long, and never longer than half of publish_ahead. */
  private static final Duration MAX_CACHE = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final IdentityConfig identity;
  private final Clock clock;
  private final Map<String, SigningKeyRing> rings = new ConcurrentHashMap<>();
  private volatile PublishedKeys published = PublishedKeys.of(List.of());
  private volatile long timer = -1;

  /**
   * The public key set as served: JSON, and an entity tag for conditional requests.
   *
   * @param json a JWK set holding public keys only
   */
  public record PublishedKeys(String json, String etag) {
    static PublishedKeys of(List<JWK> keys) {
      String json = new JWKSet(keys).toString(true);
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        return new PublishedKeys(json, "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }

  public MintingKeys(Vertx vertx, IdentityConfig identity, Clock clock) {
    this.vertx = vertx;
    this.identity = identity;
    this.clock = clock;
  }

  public IdentityConfig identity() {
    return identity;
  }

  /** The ring for {@code algorithm} (ES256, RS256 or EdDSA), made on first use. */
  SigningKeyRing ring(String algorithm) {
    return rings.computeIfAbsent(algorithm, alg -> new SigningKeyRing(identity, clock,
        () -> vertx.executeBlocking(() -> SigningKey.generate(alg), false)));
  }

  /** Generates the first keys and starts rotation on a timer; completes when the first keys exist. */
  public Future<Void> start() {
    long period = Math.max(1_000, Math.min(identity.publishAhead().toMillis() / 4, 30_000));
    timer = vertx.setPeriodic(period, id -> tick());
    return tick();
  }

  /**
   * Moves every ring to the clock's now (see {@link SigningKeyRing#tick}) and republishes the key
   * set. Called by the timer; tests call it after moving their clock.
   */
  public Future<Void> tick() {
    List<Future<Void>> ticks = new ArrayList<>();
    rings.values().forEach(r -> ticks.add(r.tick()));
    return Future.join(ticks).<Void>mapEmpty().eventually(() -> {
      republish();
      return Future.succeededFuture();
    });
  }

  private void republish() {
    List<JWK> keys = new ArrayList<>();
    rings.values().forEach(r -> keys.addAll(r.state().published()));
    published = PublishedKeys.of(keys);
  }

  /** The current public key set; a volatile read. */
  public PublishedKeys published() {
    return published;
  }

  /** The algorithms Tollgate signs with (ES256, RS256, EdDSA), sorted; one per minted upstream kind in use. */
  public List<String> algorithms() {
    return rings.keySet().stream().sorted().toList();
  }

  /** How long a verifier may cache the key set: half of publish_ahead, at most five minutes. */
  public Duration cacheMaxAge() {
    Duration half = identity.publishAhead().dividedBy(2);
    return half.compareTo(MAX_CACHE) < 0 ? half : MAX_CACHE;
  }

  /** Whether every ring has a key that signs. */
  public boolean ready() {
    return rings.values().stream().allMatch(r -> r.signingKey() != null);
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
