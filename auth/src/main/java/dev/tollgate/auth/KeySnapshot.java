package dev.tollgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One loaded JWKS, immutable, with a verifier built per key so a request pays for the signature
 * check only, not for turning JSON numbers into a public key.
 */
final class KeySnapshot {
  static final KeySnapshot EMPTY = new KeySnapshot(List.of(), null, null);
  /** Below this an RSA signature can be forged with public resources; such keys are never used. */
  static final int MIN_RSA_BITS = 2048;

  /** A published key; {@code verifier} is null when Tollgate cannot verify with it (kid still known). */
  record SigningKey(JWK jwk, JWSVerifier verifier) {}

  private final List<SigningKey> keys;
  private final Instant loadedAt;
  private final Instant requestedAt;

  private KeySnapshot(List<SigningKey> keys, Instant loadedAt, Instant requestedAt) {
    this.keys = keys;
    this.loadedAt = loadedAt;
    this.requestedAt = requestedAt;
  }

  /**
   * Parses a JWKS document. Fails when it is not a JWKS or holds no key Tollgate can verify with,
   * so that the caller keeps the keys it had rather than swapping in an unusable set.
   *
   * @param requestedAt when the load that returned {@code json} started
   * @param now when it completed
   */
  static KeySnapshot parse(String json, Instant requestedAt, Instant now) throws ParseException {
    JWKSet set = JWKSet.parse(json);
    List<SigningKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      JWK pub = jwk.toPublicJWK();
      if (pub != null) {
        keys.add(new SigningKey(pub, verifierFor(pub)));
      }
    }
    if (keys.stream().allMatch(k -> k.verifier() == null)) {
      throw new ParseException("JWKS has no usable signing key (RSA >= " + MIN_RSA_BITS + " bits or EC)", 0);
    }
    return new KeySnapshot(List.copyOf(keys), now, requestedAt);
  }

  private static JWSVerifier verifierFor(JWK jwk) {
    try {
      if (jwk instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
        return new RSASSAVerifier(rsa);
      }
      if (jwk instanceof ECKey ec) {
        return new ECDSAVerifier(ec);
      }
    } catch (JOSEException e) {
      // An invalid key (e.g. EC point off its curve) stays listed by kid but never verifies.
    }
    return null;
  }

  /** Whether this snapshot came from a successful load (the empty start state did not). */
  boolean loaded() {
    return loadedAt != null;
  }

  Instant loadedAt() {
    return loadedAt;
  }

  /**
   * When the load that produced these keys started, or null before the first: every key the issuer
   * published by then is here, so a key missing from them was not published at that instant.
   */
  Instant requestedAt() {
    return requestedAt;
  }

  int size() {
    return keys.size();
  }

  /** Keys published under {@code kid}; every key when the token names none. */
  List<SigningKey> withKid(String kid) {
    if (kid == null) {
      return keys;
    }
    List<SigningKey> out = new ArrayList<>(1);
    for (SigningKey key : keys) {
      if (Objects.equals(kid, key.jwk().getKeyID())) {
        out.add(key);
      }
    }
    return out;
  }
}
