package dev.tollgate.auth.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;

/**
 * One of Tollgate's signing keys: its public JWK (published) and its signer (kept in memory only).
 * The key id is the JWK thumbprint (RFC 7638), so it names the key without revealing anything.
 */
record SigningKey(String keyId, JWSAlgorithm algorithm, JWK publicJwk, JWSSigner signer) {
  /** An X.509 SubjectPublicKeyInfo for Ed25519 is this prefix and the 32-byte raw key. */
  private static final int ED25519_SPKI_PREFIX = 12;

  /**
   * A fresh key: P-256 for ES256, 2048-bit RSA for RS256, Ed25519 for EdDSA. Costs about a
   * millisecond, RSA up to a few hundred: call it off the event loop.
   */
  static SigningKey generate(String algorithm) {
    try {
      switch (algorithm) {
        case "ES256": {
          ECKey k = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
              .keyIDFromThumbprint(true).generate();
          return new SigningKey(k.getKeyID(), JWSAlgorithm.ES256, k.toPublicJWK(), new ECDSASigner(k));
        }
        case "RS256": {
          RSAKey k = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
              .keyIDFromThumbprint(true).generate();
          return new SigningKey(k.getKeyID(), JWSAlgorithm.RS256, k.toPublicJWK(), new RSASSASigner(k));
        }
        case "EdDSA":
          return ed25519();
        default:
          throw new IllegalArgumentException("cannot mint with " + algorithm + "; use ES256, RS256 or EdDSA");
      }
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " signing key", e);
    }
  }

  private static SigningKey ed25519() throws GeneralSecurityException, JOSEException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] x = Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX, spki.length);
    OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
        .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).keyIDFromThumbprint().build();
    return new SigningKey(jwk.getKeyID(), JWSAlgorithm.EdDSA, jwk, new JdkEd25519Signer(pair.getPrivate()));
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + ", " + algorithm + "]";
  }
}
