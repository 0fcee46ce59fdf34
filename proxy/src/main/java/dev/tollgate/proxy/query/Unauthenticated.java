package dev.tollgate.proxy.query;

import dev.tollgate.auth.AuthenticationException;
import dev.tollgate.proxy.web.Authenticator;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;

/** The JSON answer for a request whose token could not be verified. */
public final class Unauthenticated {
  private Unauthenticated() {}

  /** 400/401 with the bearer challenge for a bad token, 503 when verification itself failed. */
  public static void answer(Exchange x, Throwable err) {
    if (err instanceof AuthenticationException e) {
      Authenticator.challenge(x.response(), e);
      JsonErrors.fail(x, e.httpStatus(), e.reason());
    } else {
      JsonErrors.fail(x, 503, "token verification unavailable, retry later");
    }
  }
}
