package dev.tollgate.auth.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * A token an IdP issued to Tollgate, timed on Tollgate's clock.
 *
 * @param value the token; a secret
 * @param issuedAt when Tollgate received it
 * @param expiresAt when it stops being valid (from {@code expires_in}, never later than the
 *     caller's token for an exchanged one)
 * @param keyId the token's {@code jti} when it is a JWT with one, else a fetch counter
 */
record IssuedToken(String value, Instant issuedAt, Instant expiresAt, String keyId) {
  /** No request starts with less than this left: it could expire on the way. */
  static final Duration MAX_MARGIN = Duration.ofSeconds(5);

  /** Whether the token may still be sent at {@code now}, with a margin for the time on the wire. */
  boolean usableAt(Instant now) {
    return now.isBefore(usableUntil());
  }

  /** The last moment it is sent: expiry minus 5 s, or minus a tenth of the lifetime when that is shorter. */
  Instant usableUntil() {
    Duration lifetime = Duration.between(issuedAt, expiresAt);
    Duration margin = lifetime.dividedBy(10).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(10) : MAX_MARGIN;
    return expiresAt.minus(margin);
  }

  Duration lifetime() {
    return Duration.between(issuedAt, expiresAt);
  }

  @Override
  public String toString() {
    return "IssuedToken[keyId=" + keyId + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
