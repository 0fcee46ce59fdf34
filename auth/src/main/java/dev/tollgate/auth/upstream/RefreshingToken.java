package dev.tollgate.auth.upstream;

import dev.tollgate.config.RefreshConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One fetched token kept fresh: refreshed ahead of expiry (at a fraction of its lifetime, with
 * jitter), fetched by one request however many wait (single flight), retried with exponential
 * backoff, and used until it really expires while refreshes fail. Thread-safe; all timing comes
 * from the clock.
 */
final class RefreshingToken {
  private final Supplier<Future<IssuedToken>> fetcher;
  private final RefreshConfig config;
  private final Clock clock;
  private final CredentialMetrics metrics;
  private final Backoff backoff;
  private final SingleFlight<IssuedToken> inflight = new SingleFlight<>();
  private volatile Held held;
  private volatile Instant lastForced = Instant.MIN;

  /** A token and the moment it should be replaced, chosen once when it arrives. */
  private record Held(IssuedToken token, Instant refreshAt) {}

  RefreshingToken(Supplier<Future<IssuedToken>> fetcher, RefreshConfig config, Clock clock, CredentialMetrics metrics) {
    this.fetcher = fetcher;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.backoff = new Backoff(config);
  }

  /**
   * A usable token. Costs a field read while the current one is usable (starting a background
   * refresh once it is due); otherwise waits for the one shared fetch. Fails fast with {@link
   * CredentialUnavailable} while backing off with no usable token.
   */
  Future<IssuedToken> get() {
    Instant now = clock.instant();
    Held h = held;
    if (usable(h, now)) {
      if (due(h, now)) {
        refreshIfDue();
      }
      return Future.succeededFuture(h.token());
    }
    return fetchUnlessBackingOff(now, held -> !usable(held, clock.instant()));
  }

  /**
   * A token other than the one {@code refused} matches. Joins a fetch in flight or returns a token
   * another request already renewed; otherwise forces one fetch, but not twice within the minimum
   * backoff: a freshly fetched token that is refused again points at configuration, and asking the
   * IdP for more would only add load.
   */
  Future<IssuedToken> renew(Predicate<IssuedToken> refused) {
    Instant now = clock.instant();
    Predicate<Held> needed = held -> !usable(held, clock.instant()) || refused.test(held.token());
    Held h = held;
    if (!needed.test(h)) {
      return Future.succeededFuture(h.token());
    }
    Future<IssuedToken> pending = inflight.pending();
    if (pending != null) {
      return pending;
    }
    if (now.isBefore(lastForced.plus(backoff.min()))) {
      return Future.failedFuture(new CredentialUnavailable("the upstream refused a token fetched moments ago"));
    }
    lastForced = now;
    return fetchUnlessBackingOff(now, needed);
  }

  /** Starts a fetch when the token is due for refresh (or missing) and backoff allows; else does nothing. */
  Future<IssuedToken> refreshIfDue() {
    Instant now = clock.instant();
    Held h = held;
    if (usable(h, now) && (!due(h, now) || !backoff.allows(now))) {
      return Future.succeededFuture(h.token());
    }
    return fetchUnlessBackingOff(now, held -> !usable(held, clock.instant()) || due(held, clock.instant()));
  }

  private static boolean usable(Held h, Instant now) {
    return h != null && h.token().usableAt(now);
  }

  private static boolean due(Held h, Instant now) {
    return !now.isBefore(h.refreshAt());
  }

  /**
   * Joins the fetch in flight or starts one. {@code needed} is asked again once this request owns
   * the flight: another fetch may have finished in between, and then its token is the answer.
   */
  private Future<IssuedToken> fetchUnlessBackingOff(Instant now, Predicate<Held> needed) {
    Future<IssuedToken> pending = inflight.pending();
    if (pending != null) {
      return pending;
    }
    if (!backoff.allows(now)) {
      return Future.failedFuture(unavailable(now));
    }
    return inflight.join(() -> {
      Held h = held;
      return needed.test(h) ? fetcher.get() : Future.succeededFuture(h.token());
    }, this::settle);
  }

  private void settle(AsyncResult<IssuedToken> ar) {
    if (ar.failed()) {
      backoff.failed(clock.instant());
      metrics.failed();
      return;
    }
    Held h = held;
    if (h == null || h.token() != ar.result()) {
      held = new Held(ar.result(), refreshAt(ar.result()));
      backoff.succeeded();
      metrics.obtained(ar.result().issuedAt(), ar.result().expiresAt());
    }
  }

  /** When {@link #refreshIfDue} next has work: the refresh point, or the end of the backoff. */
  Instant nextCheck() {
    Held h = held;
    Instant retry = backoff.nextAttempt();
    if (h == null || !clock.instant().isBefore(h.refreshAt())) {
      return retry.isAfter(clock.instant()) ? retry : clock.instant();
    }
    return h.refreshAt().isAfter(retry) ? h.refreshAt() : retry;
  }

  /** Whether a usable token is held now. */
  boolean ready() {
    Held h = held;
    return h != null && h.token().usableAt(clock.instant());
  }

  IssuedToken current() {
    Held h = held;
    return h == null ? null : h.token();
  }

  private Instant refreshAt(IssuedToken t) {
    double jitter = config.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    long millis = (long) (t.lifetime().toMillis() * (config.refreshAt() + jitter));
    Instant at = t.issuedAt().plusMillis(Math.max(0, millis));
    return at.isBefore(t.usableUntil()) ? at : t.usableUntil();
  }

  private CredentialUnavailable unavailable(Instant now) {
    long wait = Math.max(0, Duration.between(now, backoff.nextAttempt()).toSeconds());
    return new CredentialUnavailable("no valid upstream token: the token endpoint failed " + backoff.failures()
        + " time(s) in a row; next attempt in " + wait + "s");
  }
}
