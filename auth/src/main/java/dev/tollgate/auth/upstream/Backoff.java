package dev.tollgate.auth.upstream;

import dev.tollgate.config.RefreshConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter after failed token requests: the first failure waits {@code min},
 * each further one twice as long up to {@code max}. Thread-safe.
 */
final class Backoff {
  private final Duration min;
  private final Duration max;
  private int failures;
  private Instant nextAttempt = Instant.MIN;

  Backoff(RefreshConfig config) {
    this.min = config.minBackoff();
    this.max = config.maxBackoff();
  }

  /** Records a failure at {@code now}; the next attempt waits 80–100% of the current step. */
  synchronized void failed(Instant now) {
    failures++;
    long step = min.toMillis() << Math.min(failures - 1, 30);
    long capped = Math.min(step <= 0 ? Long.MAX_VALUE : step, max.toMillis());
    long jittered = capped - (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
    nextAttempt = now.plusMillis(Math.max(1, jittered));
  }

  synchronized void succeeded() {
    failures = 0;
    nextAttempt = Instant.MIN;
  }

  /** Whether an attempt may start at {@code now}. */
  synchronized boolean allows(Instant now) {
    return !now.isBefore(nextAttempt);
  }

  synchronized Instant nextAttempt() {
    return nextAttempt;
  }

  synchronized int failures() {
    return failures;
  }

  /** The shortest wait, also the least time between two forced renewals. */
  Duration min() {
    return min;
  }
}
