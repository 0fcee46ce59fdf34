package dev.tollgate.config;

import java.time.Duration;

/**
 * Tollgate's own identity, for the JWTs it mints ({@code kind: minted}) and the keys it publishes at
 * {@code /.well-known/jwks.json}.
 *
 * @param issuer the {@code iss} of minted tokens; verifiers fetch {@code <issuer>/.well-known/jwks.json},
 *     so it must be https (plain http on loopback only, as for every key source)
 * @param subject the {@code sub} of minted tokens: Tollgate itself (the caller goes in {@code act})
 * @param rotateEvery how long one key signs before the next takes over
 * @param publishAhead how long the next key is published before it signs, so verifiers that cache
 *     the key set have it in time; also bounds the key set's cache lifetime
 * @param clockSkew added to the longest token lifetime when deciding how long a retired key stays
 *     published
 */
public record IdentityConfig(String issuer, String subject, Duration rotateEvery, Duration publishAhead,
    Duration clockSkew) {
  private static final String KEY_RISK =
      "backends fetch the keys that verify Tollgate's minted tokens from it: whoever can change them can sign any token";

  static IdentityConfig read(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly("issuer", "subject", "rotate_every", "publish_ahead", "clock_skew");
    String issuer = n.get("issuer").string();
    if (issuer != null) {
      // backends fetch the keys that verify minted tokens from <issuer>/.well-known/jwks.json
      Urls.httpsUrl(issuer, n.get("issuer"), KEY_RISK);
    }
    Duration rotate = n.get("rotate_every").duration(Duration.ofHours(24));
    Duration ahead = n.get("publish_ahead").duration(Duration.ofHours(1));
    if (ahead.isZero() || ahead.compareTo(rotate) >= 0) {
      n.get("publish_ahead").error("must be positive and shorter than rotate_every (" + rotate + ")");
    }
    if (rotate.compareTo(Duration.ofMinutes(1)) < 0) {
      n.get("rotate_every").error("must be at least 1m");
    }
    return new IdentityConfig(issuer, n.get("subject").string("tollgate"), rotate, ahead,
        n.get("clock_skew").duration(Duration.ofSeconds(30)));
  }
}
