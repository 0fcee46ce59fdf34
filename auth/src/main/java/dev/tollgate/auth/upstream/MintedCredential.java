package dev.tollgate.auth.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.auth.Caller;
import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived JWT Tollgate signs itself: {@code iss} Tollgate's issuer, {@code aud} the upstream,
 * {@code sub} Tollgate's subject, {@code act} the caller (RFC 8693 actor claim), {@code project},
 * {@code jti}, {@code iat}, {@code exp} at most five minutes later. One token per caller and project
 * is reused for half its lifetime, so a busy sender costs one signature per half-lifetime, not one
 * per request.
 *
 * <p>A reused token is handed out on the calling thread; signing a new one (about a millisecond for
 * RS256, plus {@code SecureRandom}) runs on a worker thread, never on the event loop, and
 * concurrent requests for the same caller and project wait for that one signature.
 */
public final class MintedCredential implements UpstreamCredential {
  private final Vertx vertx;
  private final CredentialConfig.Minted config;
  private final String audience;
  private final MintingKeys keys;
  private final SigningKeyRing ring;
  private final Clock clock;
  private final CredentialMetrics metrics = new CredentialMetrics();
  /** The thread that signed last, so a test can tell that signing stayed off the event loops. */
  private volatile String lastSigningThread;
  private final Cache<ActorKey, IssuedToken> tokens;
  private final Map<ActorKey, Future<IssuedToken>> minting = new ConcurrentHashMap<>();

  /** Whom a token is minted for; callers that differ in any part get different tokens. */
  private record ActorKey(String subject, String clientId, String issuer, String project) {
    static ActorKey of(OnBehalfOf who) {
      Caller c = who == null ? null : who.caller();
      return new ActorKey(c == null ? null : c.subject(), c == null ? null : c.clientId(),
          c == null ? null : c.issuer(), who == null ? null : who.project());
    }
  }

  MintedCredential(Vertx vertx, CredentialConfig.Minted config, URI upstreamUrl, MintingKeys keys, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.audience = config.audience() != null ? config.audience() : upstreamUrl.toString();
    this.keys = keys;
    this.ring = keys.ring(config.algorithm());
    this.clock = clock;
    this.tokens = Caffeine.newBuilder()
        .maximumSize(10_000)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run)
        .expireAfterWrite(config.ttl().dividedBy(2))
        .build();
  }

  @Override
  public String kind() {
    return "minted";
  }

  /**
   * A cached token for this caller and project (completed at once), or a fresh one signed on a
   * worker thread and shared with every request for the same caller and project that asks
   * meanwhile.
   */
  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    ActorKey key = ActorKey.of(who);
    IssuedToken cached = tokens.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(presentation(cached));
    }
    return mintOnce(key, who).map(this::presentation);
  }

  private Future<IssuedToken> mintOnce(ActorKey key, OnBehalfOf who) {
    Promise<IssuedToken> promise = Promise.promise();
    Future<IssuedToken> existing = minting.putIfAbsent(key, promise.future());
    if (existing != null) {
      return existing;
    }
    // A mint that ended between our cache miss and claiming the flight has left its token behind.
    IssuedToken raced = tokens.getIfPresent(key);
    Future<IssuedToken> work = raced != null ? Future.succeededFuture(raced)
        : vertx.executeBlocking(() -> mint(who), false);
    work.onComplete(ar -> {
      if (ar.succeeded()) {
        tokens.put(key, ar.result());
      }
      minting.remove(key, promise.future());
      promise.handle(ar);
    });
    return promise.future();
  }

  String lastSigningThread() {
    return lastSigningThread;
  }

  /** Mints a new token (with the key that signs now) in place of the refused one. */
  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    tokens.invalidate(ActorKey.of(who));
    return present(who);
  }

  private IssuedToken mint(OnBehalfOf who) {
    lastSigningThread = Thread.currentThread().getName();
    SigningKey key = ring.signingKey();
    if (key == null) {
      throw new CredentialUnavailable("no " + config.algorithm() + " signing key generated yet");
    }
    Instant now = clock.instant();
    Instant exp = now.plus(config.ttl());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(keys.identity().issuer())
        .subject(keys.identity().subject())
        .audience(audience)
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(exp));
    Caller caller = who == null ? null : who.caller();
    if (caller != null) {
      claims.claim("act", actor(caller));
    }
    if (who != null && who.project() != null) {
      claims.claim("project", who.project());
    }
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(JOSEObjectType.JWT).build(), claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      metrics.failed();
      throw new CredentialUnavailable("signing a minted token failed (" + e.getClass().getSimpleName() + ")");
    }
    metrics.obtained(now, exp);
    return new IssuedToken(jwt.serialize(), now, exp, key.keyId());
  }

  private static Map<String, Object> actor(Caller caller) {
    Map<String, Object> act = new LinkedHashMap<>();
    act.put("sub", caller.subject());
    act.put("iss", caller.issuer());
    if (caller.clientId() != null) {
      act.put("client_id", caller.clientId());
    }
    return act;
  }

  private Presentation presentation(IssuedToken t) {
    return Presentation.of(config.header(), config.scheme(), t.value(), t.keyId());
  }

  @Override
  public boolean ready() {
    return ring.signingKey() != null;
  }

  /** Keys are started by {@link MintingKeys#start}, shared by every minted upstream. */
  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {}

  @Override
  public CredentialMetrics metrics() {
    return metrics;
  }
}
