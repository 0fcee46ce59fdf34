package dev.tollgate.proxy.web;

import dev.tollgate.auth.AuthenticationException;
import dev.tollgate.auth.BearerToken;
import dev.tollgate.auth.Caller;
import dev.tollgate.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a request's bearer token into a {@link Caller}. Tokens are accepted only in the {@code
 * Authorization} header: a token in a URL ends up in access logs and browser history.
 */
public final class Authenticator {
  private static final Set<String> TOKEN_PARAMS =
      Set.of("access_token", "id_token", "token", "jwt", "bearer", "authorization", "access-token", "api_key");
  private final TokenVerifier verifier;

  public Authenticator(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Verifies the caller; the Caller is recorded on the exchange (and its audit record), and the
   * token kept there for token exchange only.
   */
  public Future<Caller> authenticate(Exchange x) {
    Http1Request r = x.request();
    String refused = r.query() == null ? null : queryProblem(r.query());
    if (refused == null && x.tokenInPath()) { // a tag name, say: the path is audited
      refused = "tokens in the path are refused; send them as Authorization: Bearer";
    }
    if (refused != null) {
      return Future.failedFuture(new AuthenticationException(
          refused.startsWith("malformed") ? AuthenticationException.Kind.INVALID_REQUEST
              : AuthenticationException.Kind.MISSING, refused));
    }
    String token;
    try {
      token = BearerToken.fromAuthorizationHeaders(r.headers().getAll(HttpHeaders.AUTHORIZATION));
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    }
    String verified = token;
    return verifier.verify(token).onSuccess(c -> x.authenticated(c, verified));
  }

  /**
   * Why the query string cannot be accepted, or null. A token there (by parameter name, or a JWT's shape
   * anywhere in a name or value) is refused even when valid; a query that cannot be decoded is refused before
   * anything else reads it. Decoding is done here, tolerantly, because Vert.x's own parameter parser
   * throws on a bad escape.
   */
  static String queryProblem(String query) {
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return "malformed query string (bad percent-encoding)";
      }
      // anywhere in a value: a filter (a Zipkin annotationQuery, Jaeger tags, TraceQL) is audited
      if (TOKEN_PARAMS.contains(name.toLowerCase(Locale.ROOT)) || Quoted.holdsToken(value) || Quoted.holdsToken(name)) {
        return "tokens in the query string are refused; send them as Authorization: Bearer";
      }
    }
    return null;
  }

  /**
   * Answers a request whose token could not be verified, in the exchange's own protocol: 400/401
   * with the bearer challenge for a bad token, 503 (retry later) when verification itself failed.
   */
  public static void refuse(Exchange x, Throwable err) {
    if (err instanceof AuthenticationException e) {
      challenge(x.response(), e);
      x.fail(e.httpStatus(), e.reason());
    } else {
      x.fail(503, "token verification unavailable, retry later");
    }
  }

  /** Adds the RFC 6750 challenge to a 400 or 401 answer. */
  public static void challenge(Http1Response resp, AuthenticationException e) {
    if (e.httpStatus() == 401 || e.httpStatus() == 400) {
      resp.putHeader("www-authenticate", e.wwwAuthenticate());
    }
  }
}
