package dev.tollgate.auth;

import java.util.Objects;

/**
 * A request that did not authenticate. The message is one line that is safe to show to the client:
 * it never carries the token or any part of it, except the header's {@code alg} and {@code kid}.
 *
 * <p>Rejections are expected and frequent (every bad sender, every scan), so no stack trace is
 * captured.
 */
public final class AuthenticationException extends RuntimeException {

  /** What went wrong, as HTTP and RFC 6750 see it. */
  public enum Kind {
    /** No credentials at all: 401 with a bare {@code Bearer} challenge (RFC 6750 section 3.1). */
    MISSING(401, null),
    /** A malformed {@code Authorization} header: 400 {@code invalid_request}. */
    INVALID_REQUEST(400, "invalid_request"),
    /** The token is not acceptable: 401 {@code invalid_token}. */
    INVALID_TOKEN(401, "invalid_token"),
    /**
     * The issuer's signing keys have never been loaded (IdP unreachable since start), or the token
     * names a key that may have been published since the last fetch while a refetch is not allowed
     * yet (rate limit) or failed: 503, so OTLP senders retry instead of dropping data.
     */
    KEYS_UNAVAILABLE(503, null);

    private final int httpStatus;
    private final String errorCode;

    Kind(int httpStatus, String errorCode) {
      this.httpStatus = httpStatus;
      this.errorCode = errorCode;
    }
  }

  private final Kind kind;

  /** A rejection of the given kind; {@code reason} is shown to the client, so it must not hold secrets. */
  public AuthenticationException(Kind kind, String reason) {
    super(printable(reason), null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  static AuthenticationException invalidToken(String reason) {
    return new AuthenticationException(Kind.INVALID_TOKEN, reason);
  }

  static AuthenticationException invalidRequest(String reason) {
    return new AuthenticationException(Kind.INVALID_REQUEST, reason);
  }

  /** The kind of failure, which decides status and challenge. */
  public Kind kind() {
    return kind;
  }

  /** The one-line reason for the client (same as {@link #getMessage()}). */
  public String reason() {
    return getMessage();
  }

  /** The HTTP status to answer with: 400, 401 or 503. */
  public int httpStatus() {
    return kind.httpStatus;
  }

  /** The RFC 6750 error code ({@code invalid_token}, {@code invalid_request}), or null when none applies. */
  public String errorCode() {
    return kind.errorCode;
  }

  /**
   * The {@code WWW-Authenticate} header value for a 400/401 answer, e.g. {@code Bearer
   * error="invalid_token", error_description="token expired"}. Costs one small string build.
   */
  public String wwwAuthenticate() {
    if (kind.errorCode == null) {
      return "Bearer";
    }
    return "Bearer error=\"" + kind.errorCode + "\", error_description=\"" + getMessage() + "\"";
  }

  // RFC 6750 error_description allows %x20-21 / %x23-5B / %x5D-7E: keep the reason a valid
  // quoted-string and a single log line whatever went into it.
  private static String printable(String reason) {
    String s = reason == null ? "authentication failed" : reason;
    StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && out.length() < 200; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
    }
    return out.toString();
  }
}
