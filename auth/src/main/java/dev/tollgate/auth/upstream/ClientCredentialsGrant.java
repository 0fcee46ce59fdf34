package dev.tollgate.auth.upstream;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * An OAuth2 client credentials token for Tollgate itself, fetched at start and refreshed in the
 * background ahead of expiry. Requests present the held token at the cost of a field read; they
 * wait only when no usable token is left, and then share one fetch.
 */
public final class ClientCredentialsGrant implements UpstreamCredential {
  /** Background checks never spin faster than this, whatever the clock says. */
  private static final long MIN_TIMER_MS = 50;
  private static final long MAX_TIMER_MS = Duration.ofMinutes(10).toMillis();

  private final Vertx vertx;
  private final CredentialConfig.ClientCredentials config;
  private final Clock clock;
  private final TokenEndpoint endpoint;
  private final CredentialMetrics metrics = new CredentialMetrics();
  private final RefreshingToken token;
  private volatile long timer = -1;
  private volatile boolean closed;

  ClientCredentialsGrant(Vertx vertx, CredentialConfig.ClientCredentials config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.endpoint = new TokenEndpoint(vertx, config.request(), clock);
    this.token = new RefreshingToken(
        () -> endpoint.request(Map.of("grant_type", "client_credentials"), config.request()),
        config.refresh(), clock, metrics);
  }

  @Override
  public String kind() {
    return "client-credentials";
  }

  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    return token.get().map(this::presentation);
  }

  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    return token.renew(t -> presentation(t).sameSecret(refused)).map(this::presentation);
  }

  private Presentation presentation(IssuedToken t) {
    return Presentation.of(config.header(), config.scheme(), t.value(), t.keyId());
  }

  @Override
  public boolean ready() {
    return token.ready();
  }

  /** Fetches the first token; completes when that attempt ended, successful or not. */
  @Override
  public Future<Void> start() {
    return token.refreshIfDue().<Void>mapEmpty().otherwiseEmpty().onComplete(v -> schedule());
  }

  /** Runs the background refresh: due refreshes and retries after failures, timed by the clock. */
  private void schedule() {
    if (closed) {
      return;
    }
    long delay = Duration.between(clock.instant(), token.nextCheck()).toMillis();
    timer = vertx.setTimer(Math.max(MIN_TIMER_MS, Math.min(delay, MAX_TIMER_MS)),
        id -> token.refreshIfDue().onComplete(ar -> schedule()));
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
    endpoint.close();
  }

  @Override
  public CredentialMetrics metrics() {
    return metrics;
  }

  /** The token held now, for tests: its key id and expiry, never logged. */
  IssuedToken current() {
    return token.current();
  }
}
