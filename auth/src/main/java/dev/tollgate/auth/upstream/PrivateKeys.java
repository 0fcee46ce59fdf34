package dev.tollgate.auth.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;

/**
 * Reads the private key of {@code private_key_jwt} client authentication: a PKCS#8 PEM file
 * ({@code BEGIN PRIVATE KEY}, RSA or EC) or a private JWK. Error messages name the problem, never
 * the key.
 */
final class PrivateKeys {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private PrivateKeys() {}

  /** A signer and the algorithm it signs with: RS256 for RSA, ES256/384/512 by the EC curve. */
  record SigningMaterial(JWSSigner signer, JWSAlgorithm algorithm, String keyId) {}

  /**
   * Parses {@code content}; {@code keyId} overrides a JWK's own {@code kid}. Costs a key parse.
   *
   * @throws IllegalArgumentException naming what is wrong and how to fix it
   */
  static SigningMaterial parse(String content, String keyId, String origin) {
    String text = content.strip();
    try {
      if (text.startsWith("{")) {
        return fromJwk(JWK.parse(text), keyId, origin);
      }
      if (text.startsWith(BEGIN) && text.endsWith(END)) {
        byte[] der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        return fromPkcs8(der, keyId, origin);
      }
    } catch (ParseException | JOSEException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": unreadable private key (" + e.getClass().getSimpleName() + ")");
    }
    throw new IllegalArgumentException(origin + ": expected a PKCS#8 PEM (BEGIN PRIVATE KEY) or a private JWK;"
        + " convert a traditional PEM with `openssl pkcs8 -topk8 -nocrypt -in key.pem`");
  }

  private static SigningMaterial fromJwk(JWK jwk, String keyId, String origin) throws JOSEException {
    String kid = keyId != null ? keyId : jwk.getKeyID();
    if (jwk instanceof RSAKey rsa && rsa.isPrivate()) {
      return new SigningMaterial(new RSASSASigner(rsa), JWSAlgorithm.RS256, kid);
    }
    if (jwk instanceof ECKey ec && ec.isPrivate()) {
      return new SigningMaterial(new ECDSASigner(ec), ecAlgorithm(ec.getCurve(), origin), kid);
    }
    throw new IllegalArgumentException(origin + ": the JWK must be a private RSA or EC key");
  }

  private static SigningMaterial fromPkcs8(byte[] der, String keyId, String origin)
      throws GeneralSecurityException, JOSEException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePrivate(spec);
      return new SigningMaterial(new RSASSASigner(key), JWSAlgorithm.RS256, keyId);
    } catch (GeneralSecurityException notRsa) {
      key = KeyFactory.getInstance("EC").generatePrivate(spec);
    }
    ECPrivateKey ec = (ECPrivateKey) key;
    return new SigningMaterial(new ECDSASigner(ec), ecAlgorithm(Curve.forECParameterSpec(ec.getParams()), origin),
        keyId);
  }

  private static JWSAlgorithm ecAlgorithm(Curve curve, String origin) {
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512)) {
      if (curve != null && Curve.forJWSAlgorithm(alg).contains(curve)) {
        return alg;
      }
    }
    throw new IllegalArgumentException(origin + ": EC keys must be on P-256, P-384 or P-521");
  }
}
