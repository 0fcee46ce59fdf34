package dev.tollgate.auth;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/**
 * A parsed but not yet trusted JWS. Its claims are read only to choose the issuer whose keys and
 * rules then verify it; nothing else may act on them.
 */
record UnverifiedToken(SignedJWT jwt, JWTClaimsSet claims) {

  /** Parses a compact JWS; refuses unsigned, encrypted and malformed tokens. Costs two small JSON parses. */
  static UnverifiedToken parse(String compact) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(compact);
    } catch (ParseException | RuntimeException e) {
      throw AuthenticationException.invalidToken("malformed token (not a JWT)");
    }
    if (jwt instanceof PlainJWT) {
      throw AuthenticationException.invalidToken("unsigned tokens (alg none) are not accepted");
    }
    if (jwt instanceof EncryptedJWT) {
      throw AuthenticationException.invalidToken("encrypted tokens (JWE) are not accepted; send a signed JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw AuthenticationException.invalidToken("malformed token (not a JWT)");
    }
    try {
      return new UnverifiedToken(signed, signed.getJWTClaimsSet());
    } catch (ParseException | RuntimeException e) {
      throw AuthenticationException.invalidToken("malformed token claims");
    }
  }

  /** The {@code iss} claim when it is a string, else null. */
  String issuer() {
    return claims.getClaim("iss") instanceof String iss ? iss : null;
  }
}
