package dev.tollgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * DEVELOPMENT ONLY: the issuer built into {@code tollgate dev}. It signs a token for anyone who
 * asks, so configuration refuses {@code kind: dev} outside dev mode. Its ES256 key is generated in
 * memory at startup and dies with the process; tokens from one run never verify in the next.
 */
public final class DevIssuer {
  /**
   * The development issuer's {@code iss}. The {@code .invalid} top-level domain (RFC 2606) can never
   * resolve, so no real IdP can share this issuer.
   */
  public static final String ISSUER = dev.tollgate.config.KeySource.DevIssuer.ISSUER;
  /** Longest lifetime {@link #mint} grants: a leaked dev token should not outlive a work day. */
  public static final Duration MAX_TTL = Duration.ofHours(12);

  private final ECKey key;
  private final JWSSigner signer;
  private final Clock clock;
  private final String jwksJson;

  private DevIssuer(ECKey key, Clock clock) throws JOSEException {
    this.key = key;
    this.signer = new ECDSASigner(key);
    this.clock = clock;
    this.jwksJson = new JWKSet(key.toPublicJWK()).toString();
  }

  /** A dev issuer with a fresh P-256 key. Costs one key generation (about a millisecond). */
  public static DevIssuer generate(Clock clock) {
    try {
      ECKey key = new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyID("tollgate-dev-" + UUID.randomUUID())
          .generate();
      return new DevIssuer(key, Objects.requireNonNull(clock, "clock"));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the development issuer's P-256 key", e);
    }
  }

  /** The {@code iss} of every token this issuer mints: {@link #ISSUER}. */
  public String issuer() {
    return ISSUER;
  }

  /**
   * A signed ES256 access token: {@code sub}, {@code client_id}, {@code groups} (the default claim
   * mapping reads these), {@code aud}, {@code iat}/{@code nbf} now and {@code exp} now + ttl. Costs
   * one ECDSA signature.
   *
   * @param clientId may be null
   * @param ttl positive, at most {@link #MAX_TTL}
   */
  public String mint(String subject, String clientId, Set<String> groups, List<String> audiences, Duration ttl) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject is required");
    }
    if (audiences == null || audiences.isEmpty()) {
      throw new IllegalArgumentException("at least one audience is required");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL + ", got " + ttl);
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience(List.copyOf(audiences))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim("groups", groups == null ? List.of() : List.copyOf(groups));
    if (clientId != null) {
      claims.claim("client_id", clientId);
    }
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a development token", e);
    }
    return jwt.serialize();
  }

  /** The public JWKS (one P-256 key), e.g. to serve at a dev JWKS endpoint. Public material only. */
  public String jwksJson() {
    return jwksJson;
  }
}
