package dev.tollgate.auth.upstream;

/**
 * What Tollgate presents to an upstream for one request: a header and its value (the secret), and
 * the non-secret facts an audit event may carry.
 *
 * @param header the header to set, or null when nothing is sent
 * @param value the header's value; a secret, never logged (see {@link #toString})
 * @param keyId which key or token version was used: a signing key id, a token's {@code jti}, or a
 *     load counter; never derived from the secret itself
 */
public record Presentation(String header, String value, String keyId) {
  private static final Presentation NONE = new Presentation(null, null, null);

  /** Nothing to send (an upstream that trusts the network). */
  public static Presentation none() {
    return NONE;
  }

  /** {@code scheme + " " + token}, or the bare token when the scheme is empty. */
  static Presentation of(String header, String scheme, String token, String keyId) {
    return new Presentation(header, scheme == null || scheme.isEmpty() ? token : scheme + " " + token, keyId);
  }

  /** Whether this presents the same secret as {@code other}, e.g. to tell if a refused token was replaced. */
  boolean sameSecret(Presentation other) {
    return other != null && value != null && value.equals(other.value);
  }

  @Override
  public String toString() {
    return "Presentation[header=" + header + ", keyId=" + keyId + ", value=(redacted)]";
  }
}
