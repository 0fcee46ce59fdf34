package dev.tollgate.auth;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One issuer's signing keys: loaded in the background, refreshed ahead of need, retried with
 * backoff while the IdP is down, and refetched on demand, single-flight and rate-limited, when a
 * token names a key we do not know. A failed load never drops keys that worked.
 *
 * <p>Any thread may call in (verification runs on every event loop); the little mutable state is
 * guarded by this object's monitor, held for microseconds and never across I/O.
 */
final class IssuerKeys {
  private static final System.Logger LOG = System.getLogger(IssuerKeys.class.getName());
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final String issuerName;
  private final KeyLoader loader;
  private final Clock clock;
  private final Duration refresh;
  private final Duration minRefetch;
  private final AtomicLong fetches = new AtomicLong();
  private volatile KeySnapshot current = KeySnapshot.EMPTY;
  private volatile String lastError;

  // Guarded by this.
  private Future<KeySnapshot> inFlight;
  private boolean fetchedOnce;
  private long lastFetchMillis;
  private int failures;
  private long timerId = -1;
  private boolean closed;

  IssuerKeys(Vertx vertx, String issuerName, KeyLoader loader, Clock clock, Duration refresh, Duration minRefetch) {
    this.vertx = vertx;
    this.issuerName = issuerName;
    this.loader = loader;
    this.clock = clock;
    this.refresh = positive(refresh, Duration.ofMinutes(5));
    this.minRefetch = minRefetch == null || minRefetch.isNegative() ? Duration.ZERO : minRefetch;
  }

  /** Starts the first load; never waits for it. */
  void start() {
    fetch();
  }

  /** The keys as of the last successful load ({@link KeySnapshot#EMPTY} before the first). */
  KeySnapshot current() {
    return current;
  }

  /**
   * Called when a token names a key we do not hold. Joins the load in flight if any; else starts one
   * unless the last load began less than {@code jwks_min_refetch} ago (by the clock), so a flood of
   * made-up kids costs the IdP at most one request per interval. Completes with the keys to retry
   * with, never fails; their {@link KeySnapshot#requestedAt()} tells whether they are recent enough
   * to prove a key unknown.
   */
  Future<KeySnapshot> refetchForUnknownKey() {
    synchronized (this) {
      if (inFlight != null) {
        return inFlight;
      }
      if (fetchedOnce && clock.millis() - lastFetchMillis < minRefetch.toMillis()) {
        return Future.succeededFuture(current);
      }
      return fetch();
    }
  }

  private synchronized Future<KeySnapshot> fetch() {
    if (closed) {
      return Future.succeededFuture(current);
    }
    if (inFlight != null) {
      return inFlight;
    }
    fetchedOnce = true;
    Instant started = clock.instant();
    lastFetchMillis = started.toEpochMilli();
    fetches.incrementAndGet();
    Future<KeySnapshot> loading = load(started).transform(this::settle);
    // A loader that answers synchronously has already settled; nothing is in flight then.
    if (!loading.isComplete()) {
      inFlight = loading;
    }
    return loading;
  }

  private Future<KeySnapshot> load(Instant started) {
    try {
      return loader.load().compose(json -> {
        try {
          return Future.succeededFuture(KeySnapshot.parse(json, started, clock.instant()));
        } catch (ParseException | RuntimeException e) {
          return Future.failedFuture("not a usable JWKS: " + e.getMessage());
        }
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Takes a load's result. What it logs is logged after the monitor is let go: event loops take it
   * for tokens that name an unknown key, and must not wait for a log line to be written.
   */
  private Future<KeySnapshot> settle(AsyncResult<KeySnapshot> result) {
    KeySnapshot keys;
    String warning = null;
    synchronized (this) {
      inFlight = null;
      if (result.succeeded()) {
        current = result.result();
        lastError = null;
        failures = 0;
        schedule(refresh);
      } else {
        failures++;
        lastError = String.valueOf(result.cause().getMessage());
        Duration retry = backoff();
        warning = "issuer " + issuerName + ": cannot load keys from " + loader.describe() + ": " + lastError
            + (current.loaded() ? " (keeping the keys loaded before)" : "") + "; retrying in " + retry;
        schedule(retry);
      }
      keys = current;
    }
    if (warning != null) {
      LOG.log(Level.WARNING, warning);
    } else {
      LOG.log(Level.DEBUG, () -> "issuer " + issuerName + ": loaded " + keys.size() + " keys from " + loader.describe());
    }
    return Future.succeededFuture(keys);
  }

  /** 1s, 2s, 4s ... capped at 30s and at the refresh interval. */
  private Duration backoff() {
    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 10));
    return min(min(delay, MAX_RETRY), refresh);
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerId = vertx.setTimer(Math.max(1, delay.toMillis()), id -> fetch());
  }

  /** Loads started so far: the first, refreshes, retries and unknown-kid refetches. */
  long fetches() {
    return fetches.get();
  }

  /** Message of the last failed load, or null when the last load worked. */
  String lastError() {
    return lastError;
  }

  String describe() {
    return loader.describe();
  }

  /** Whether a later load could bring keys the current ones lack (see {@link KeyLoader#canChange}). */
  boolean canChange() {
    return loader.canChange();
  }

  /** Stops refreshing; keys already loaded stay usable. */
  synchronized void close() {
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration positive(Duration d, Duration dflt) {
    return d == null || d.isZero() || d.isNegative() ? dflt : d;
  }
}
