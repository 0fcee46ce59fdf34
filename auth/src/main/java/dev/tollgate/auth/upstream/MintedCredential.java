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
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived JWT Tollgate signs itself: {@code iss} Tollgate's issuer, {@code aud} the upstream,
 * {@code sub} Tollgate's subject, {@code act} the caller (RFC 8693 actor claim), {@code project},
 * {@code jti}, {@code iat}, {@code exp} at most five minutes later. One token per caller and project
 * is reused for half its lifetime, so a busy sender costs one signature per half-lifetime, not one
 * per request.
 */
public final class MintedCredential implements UpstreamCredential {
  private final CredentialConfig.Minted config;
  private final String audience;
  private final MintingKeys keys;
  private final SigningKeyRing ring;
  private final Clock clock;
  private final CredentialMetrics metrics = new CredentialMetrics();
  private final Cache<ActorKey, IssuedToken> tokens;

  /** Whom a token is minted for; callers that differ in any part get different tokens. */
  private record ActorKey(String subject, String clientId, String issuer, String project) {
    static ActorKey of(OnBehalfOf who) {
      Caller c = who == null ? null : who.caller();
      return new ActorKey(c == null ? null : c.subject(), c == null ? null : c.clientId(),
          c == null ? null : c.issuer(), who == null ? null : who.project());
    }
  }

  MintedCredential(CredentialConfig.Minted config, URI upstreamUrl, MintingKeys keys, Clock clock) {
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

  /** A cached token for this caller and project, or a fresh one (one signature). */
  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    try {
      return Future.succeededFuture(presentation(tokens.get(ActorKey.of(who), k -> mint(who))));
    } catch (CredentialUnavailable e) {
      return Future.failedFuture(e);
    }
  }

  /** Mints a new token (with the key that signs now) in place of the refused one. */
  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    tokens.invalidate(ActorKey.of(who));
    return present(who);
  }

  private IssuedToken mint(OnBehalfOf who) {
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
