package dev.tollgate.proxy.web;

import dev.tollgate.auth.AuthenticationException;
import dev.tollgate.auth.BearerToken;
import dev.tollgate.auth.Caller;
import dev.tollgate.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;

/**
 * Turns a request's bearer token into a {@link Caller}. Tokens are accepted only in the {@code
 * Authorization} header: a token in a URL ends up in access logs and browser history.
 */
public final class Authenticator {
  private static final Set<String> TOKEN_PARAMS = Set.of("access_token", "id_token", "token", "jwt");
  private final TokenVerifier verifier;

  public Authenticator(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Verifies the caller; the Caller is recorded on the exchange (and its audit record), and the
   * token kept there for token exchange only.
   */
  public Future<Caller> authenticate(Exchange x) {
    HttpServerRequest r = x.request();
    if (r.query() != null && r.params().names().stream().anyMatch(n -> TOKEN_PARAMS.contains(n.toLowerCase()))) {
      return Future.failedFuture(new AuthenticationException(AuthenticationException.Kind.MISSING,
          "tokens in the query string are refused; send them as Authorization: Bearer"));
    }
    String token;
    try {
      token = BearerToken.fromAuthorizationHeaders(r.headers().getAll("authorization"));
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    }
    String verified = token;
    return verifier.verify(token).onSuccess(c -> x.authenticated(c, verified));
  }

  /** Adds the RFC 6750 challenge to a 400 or 401 answer. */
  public static void challenge(HttpServerResponse resp, AuthenticationException e) {
    if (e.httpStatus() == 401 || e.httpStatus() == 400) {
      resp.putHeader("www-authenticate", e.wwwAuthenticate());
    }
  }
}
