package dev.tollgate.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

/** Hand-made tokens, for the shapes a well-behaved IdP never issues. */
final class Tokens {
  private Tokens() {}

  static JWTClaimsSet.Builder claims(String iss, String sub, String aud, Duration ttl) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(iss).subject(sub).audience(aud)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
  }

  static String sign(JWK key, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS256 with the given bytes as the shared secret: the algorithm-confusion attack when they are a public key. */
  static String hmac(byte[] secret, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  static String encrypted(RSAKey recipient, JWTClaimsSet claims) {
    try {
      EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM), claims);
      jwt.encrypt(new RSAEncrypter(recipient.toRSAPublicKey()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** header.payload.signature from raw JSON, for headers no library would write. */
  static String raw(String headerJson, String payloadJson, String signature) {
    return Base64URL.encode(headerJson) + "." + Base64URL.encode(payloadJson) + "." + Base64URL.encode(signature);
  }

  /** The public halves of {@code keys} as a JWKS document. */
  static String jwks(JWK... keys) {
    return new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString();
  }

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
