package dev.tollgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.auth.KeySnapshot.SigningKey;
import dev.tollgate.config.IssuerConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verifies tokens that name one trusted issuer: algorithm allow-list, signing key, signature, then
 * {@code iss}, {@code exp}, {@code nbf}, {@code aud}/{@code azp}, and maps the claims to a
 * {@link Caller}. Signature before claims, so nothing a forger wrote is believed first.
 */
final class IssuerVerifier {
  private final IssuerConfig config;
  private final String issuer;
  private final IssuerKeys keys;
  private final ClaimReader reader;
  private final Clock clock;
  private final Duration skew;
  private final LongAdder signatureChecks;

  IssuerVerifier(IssuerConfig config, String issuer, IssuerKeys keys, Clock clock, LongAdder signatureChecks) {
    this.config = config;
    this.issuer = issuer;
    this.keys = keys;
    this.reader = new ClaimReader(config.claims());
    this.clock = clock;
    this.skew = config.clockSkew() == null || config.clockSkew().isNegative() ? Duration.ZERO : config.clockSkew();
    this.signatureChecks = signatureChecks;
  }

  /**
   * The caller a token proves. Completes at once when the signing key is known; otherwise waits for
   * at most one (shared, rate-limited) JWKS refetch. Rejections are thrown at once or fail the
   * future, always as {@link AuthenticationException}.
   */
  Future<Caller> verify(UnverifiedToken token) {
    JWSHeader header = token.jwt().getHeader();
    SigningAlgorithms.checkAllowed(header.getAlgorithm(), config.algorithms());
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw AuthenticationException.invalidToken("critical header parameters (crit) are not supported");
    }
    KeySnapshot snapshot = keys.current();
    if (signingKeys(snapshot, header).isEmpty()) {
      Instant asked = clock.instant();
      return keys.refetchForUnknownKey().map(fresh -> check(token, fresh, asked));
    }
    return Future.succeededFuture(check(token, snapshot, null));
  }

  private Caller check(UnverifiedToken token, KeySnapshot snapshot, Instant asked) {
    List<SigningKey> candidates = signingKeys(snapshot, token.jwt().getHeader());
    if (candidates.isEmpty()) {
      throw unknownKey(token, snapshot, asked);
    }
    checkSignature(token.jwt(), candidates);
    return caller(token.claims());
  }

  /**
   * The answer for a token whose key is not among {@code snapshot}'s. It is 401 only when those keys
   * were fetched after the token was issued (its {@code iat}, plus clock skew; without an
   * {@code iat}, after this request asked): then the issuer had not published the key and never
   * will. Otherwise the key may be one the IdP rotated in since, and the refetch that would show it
   * is rate-limited or failed, so the answer is retryable (503): a sender must not drop data during
   * a key rotation, nor because someone else's made-up kids used up the refetch interval.
   */
  private AuthenticationException unknownKey(UnverifiedToken token, KeySnapshot snapshot, Instant asked) {
    JWSHeader header = token.jwt().getHeader();
    String key = header.getKeyID() == null
        ? "no key for " + SigningAlgorithms.printable(header.getAlgorithm())
        : "kid '" + SigningAlgorithms.printable(header.getKeyID()) + "'";
    if (!snapshot.loaded()) {
      return new AuthenticationException(AuthenticationException.Kind.KEYS_UNAVAILABLE,
          "signing keys of issuer " + config.name() + " are not available yet; retry later");
    }
    if (!keys.canChange() || fetchedAfterIssue(token, snapshot, asked)) {
      return AuthenticationException.invalidToken("unknown signing key (" + key + ")");
    }
    return new AuthenticationException(AuthenticationException.Kind.KEYS_UNAVAILABLE, "signing key (" + key
        + ") is not among the keys of issuer " + config.name() + " fetched so far; they are refetched at most every "
        + minRefetch().toSeconds() + "s, retry later");
  }

  private boolean fetchedAfterIssue(UnverifiedToken token, KeySnapshot snapshot, Instant asked) {
    Date iat = token.claims().getIssueTime();
    if (iat != null) {
      return snapshot.requestedAt().isAfter(iat.toInstant().plus(skew));
    }
    return asked != null && !snapshot.requestedAt().isBefore(asked);
  }

  private Duration minRefetch() {
    Duration d = config.jwksMinRefetch();
    return d == null || d.isNegative() ? Duration.ZERO : d;
  }

  /** Keys named by the token's kid; without a kid, the keys that fit its algorithm. */
  private static List<SigningKey> signingKeys(KeySnapshot snapshot, JWSHeader header) {
    List<SigningKey> named = snapshot.withKid(header.getKeyID());
    if (header.getKeyID() != null) {
      return named;
    }
    return named.stream().filter(k -> fits(k, header.getAlgorithm())).toList();
  }

  private void checkSignature(SignedJWT jwt, List<SigningKey> candidates) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    boolean tried = false;
    for (SigningKey key : candidates) {
      if (!fits(key, alg)) {
        continue;
      }
      tried = true;
      signatureChecks.increment();
      try {
        if (jwt.verify(key.verifier())) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // A verifier that cannot process the input has not verified it: same answer as a bad signature.
      }
    }
    throw AuthenticationException.invalidToken(tried ? "invalid signature"
        : "signing key (kid '" + SigningAlgorithms.printable(jwt.getHeader().getKeyID()) + "') cannot verify "
            + SigningAlgorithms.printable(alg) + " (its type, curve, use or alg differ)");
  }

  private static boolean fits(SigningKey key, JWSAlgorithm alg) {
    return key.verifier() != null && SigningAlgorithms.keyFits(key.jwk(), alg);
  }

  private Caller caller(JWTClaimsSet claims) {
    if (!issuer.equals(claims.getClaim("iss"))) {
      throw AuthenticationException.invalidToken("token issuer does not match");
    }
    Instant expiresAt = checkTimes(claims);
    checkAudience(claims);
    Map<String, Object> values = claims.getClaims();
    String subject = reader.subject(values);
    if (subject == null) {
      throw AuthenticationException.invalidToken("token has no subject (claim " + config.claims().subject() + ")");
    }
    return new Caller(subject, reader.clientId(values), issuer, config.name(), reader.groups(values), expiresAt);
  }

  private Instant checkTimes(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Instant exp = instant(claims, "exp");
    if (exp == null) {
      throw AuthenticationException.invalidToken("token has no expiry (exp)");
    }
    if (now.isAfter(exp.plus(skew))) {
      throw AuthenticationException.invalidToken("token expired");
    }
    Instant nbf = instant(claims, "nbf");
    if (nbf != null && now.plus(skew).isBefore(nbf)) {
      throw AuthenticationException.invalidToken("token is not valid yet (nbf)");
    }
    return exp;
  }

  private static Instant instant(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Date date) {
      return date.toInstant();
    }
    throw AuthenticationException.invalidToken("token claim " + name + " is not a NumericDate");
  }

  private void checkAudience(JWTClaimsSet claims) {
    for (String aud : claims.getAudience()) {
      if (config.audiences().contains(aud)) {
        return;
      }
    }
    if (config.acceptAzp() && claims.getClaim("azp") instanceof String azp && config.audiences().contains(azp)) {
      return;
    }
    throw AuthenticationException.invalidToken("token audience is not accepted here");
  }
}
