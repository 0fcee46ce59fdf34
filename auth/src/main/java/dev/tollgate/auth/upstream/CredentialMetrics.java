package dev.tollgate.auth.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges of one upstream's credential, for self-telemetry to export. Labels are the
 * upstream's name and the credential's kind only, never a token or key. Updating costs an add or a
 * volatile write; thread-safe.
 */
public final class CredentialMetrics {
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder refusals = new LongAdder();
  private final LongAdder unrecoveredRefusals = new LongAdder();
  private volatile Instant issuedAt;
  private volatile Instant expiresAt;

  /**
   * One reading.
   *
   * @param tokenAge how long ago the current credential was obtained; null before the first
   * @param timeToExpiry how long the current credential stays valid (negative once expired); null
   *     when it does not expire or none was obtained
   * @param refreshes credentials obtained (fetched, exchanged, minted or re-read)
   * @param failures attempts to obtain one that failed
   * @param refusals upstream answers 401/403 to a credential
   * @param unrecoveredRefusals refused requests that no renewal fixed (refused again, or no new
   *     credential to be had): the sender got 503
   */
  public record Snapshot(Duration tokenAge, Duration timeToExpiry, long refreshes, long failures, long refusals,
      long unrecoveredRefusals) {}

  /** Records a newly obtained credential; {@code expiresAt} may be null when it never expires. */
  void obtained(Instant issuedAt, Instant expiresAt) {
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    refreshes.increment();
  }

  void failed() {
    failures.increment();
  }

  /** The upstream answered 401 or 403 to the credential. */
  public void refused() {
    refusals.increment();
  }

  /** A refused request that renewal did not fix; the sender got 503. */
  public void unrecoveredRefusal() {
    unrecoveredRefusals.increment();
  }

  /** The current values, with ages measured at {@code now}. */
  public Snapshot snapshot(Instant now) {
    Instant issued = issuedAt;
    Instant expires = expiresAt;
    return new Snapshot(issued == null ? null : Duration.between(issued, now),
        expires == null ? null : Duration.between(now, expires),
        refreshes.sum(), failures.sum(), refusals.sum(), unrecoveredRefusals.sum());
  }
}
