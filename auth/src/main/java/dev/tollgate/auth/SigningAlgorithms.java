package dev.tollgate.auth;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which JWS algorithms Tollgate verifies and which published key may verify which algorithm.
 *
 * <p>Only public-key algorithms: a verifier that accepted HMAC could be fed the issuer's public key
 * as the shared secret (the classic algorithm-confusion attack). EdDSA is refused because nimbus
 * verifies Ed25519 through Google Tink, which is not on the class path.
 */
final class SigningAlgorithms {
  private static final Set<JWSAlgorithm> SUPPORTED = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final Pattern PRINTABLE = Pattern.compile("[A-Za-z0-9_+\\-.]{1,32}");

  private SigningAlgorithms() {}

  /** Throws unless {@code alg} is a supported public-key algorithm the issuer allows. */
  static void checkAllowed(JWSAlgorithm alg, Set<String> allowed) {
    if (alg == null) {
      throw AuthenticationException.invalidToken("token header has no alg");
    }
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      throw AuthenticationException.invalidToken("algorithm " + alg.getName()
          + " is not accepted: tokens must be signed with the issuer's private key");
    }
    if (JWSAlgorithm.Family.ED.contains(alg)) {
      throw AuthenticationException.invalidToken("algorithm " + alg.getName() + " is not supported by this Tollgate");
    }
    if (!SUPPORTED.contains(alg) || !allowed.contains(alg.getName())) {
      throw AuthenticationException.invalidToken("algorithm " + printable(alg) + " is not allowed for this issuer");
    }
  }

  /** Whether a published key may verify {@code alg}: type, curve, and the key's own use/alg/key_ops. */
  static boolean keyFits(JWK jwk, JWSAlgorithm alg) {
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      return false;
    }
    if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(alg.getName())) {
      return false;
    }
    if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
      return false;
    }
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      return KeyType.RSA.equals(jwk.getKeyType());
    }
    if (JWSAlgorithm.Family.EC.contains(alg) && jwk instanceof ECKey ec) {
      Set<Curve> curves = Curve.forJWSAlgorithm(alg);
      return curves != null && curves.contains(ec.getCurve());
    }
    return false;
  }

  /** The algorithm name when it is plain text; header values are attacker-chosen. */
  static String printable(Algorithm alg) {
    return printable(alg == null ? null : alg.getName());
  }

  /** {@code value} when it is short plain text, else a placeholder: for alg and kid in client-visible reasons. */
  static String printable(String value) {
    return value != null && PRINTABLE.matcher(value).matches() ? value : "(unprintable)";
  }
}
