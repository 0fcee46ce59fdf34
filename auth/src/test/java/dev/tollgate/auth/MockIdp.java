package dev.tollgate.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC server (mock-oauth2-server) on 127.0.0.1. Each issuer id is one issuer with its own
 * RSA key; we keep the key provider so tests can also sign tokens the server would never issue.
 */
final class MockIdp implements AutoCloseable {
  private final KeyProvider keys = new KeyProvider(List.of(), "RS256");
  private final MockOAuth2Server server =
      new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));

  static MockIdp start() {
    MockIdp idp = new MockIdp();
    try {
      idp.server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return idp;
  }

  /** The issuer URL, spelled with 127.0.0.1 like the discovery document the server serves. */
  String iss(String issuerId) {
    return "http://127.0.0.1:" + server.baseUrl().port() + "/" + issuerId;
  }

  URI jwksUrl(String issuerId) {
    return URI.create(iss(issuerId) + "/jwks");
  }

  URI discoveryUrl(String issuerId) {
    return URI.create(iss(issuerId) + "/.well-known/openid-configuration");
  }

  /** A token as the server issues it: RS256, kid = issuer id, iat/nbf now, exp now + expirySeconds. */
  String token(String issuerId, String subject, String audience, Map<String, Object> claims, long expirySeconds) {
    Map<String, Object> all = new HashMap<>(claims);
    // The server derives iss from its host name (localhost); we bind and configure 127.0.0.1.
    all.putIfAbsent("iss", iss(issuerId));
    return server.issueToken(issuerId, subject, audience, all, expirySeconds).serialize();
  }

  String token(String issuerId, String subject, String audience) {
    return token(issuerId, subject, audience, Map.of(), 60);
  }

  /** The issuer's private signing key. */
  RSAKey signingKey(String issuerId) {
    return (RSAKey) keys.signingKey(issuerId);
  }

  String jwks(String issuerId) {
    return new JWKSet(signingKey(issuerId).toPublicJWK()).toString();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
