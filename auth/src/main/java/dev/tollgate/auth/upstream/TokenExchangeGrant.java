package dev.tollgate.auth.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.RefreshConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 8693 token exchange: the caller's verified token is traded at the IdP for a token for this
 * upstream and project, so the backend learns the end user. Exchanged tokens are cached per caller
 * token and project until 90% of their lifetime (never past the caller's own token), with one
 * exchange in flight per key however many requests wait; a failing IdP is backed off from.
 */
public final class TokenExchangeGrant implements UpstreamCredential {
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  /** Cached tokens are replaced at this fraction of their lifetime, before they near expiry. */
  static final double NEAR_EXPIRY = 0.9;

  private final CredentialConfig.TokenExchange config;
  private final Clock clock;
  private final TokenEndpoint endpoint;
  private final Backoff backoff = new Backoff(RefreshConfig.defaults());
  private final CredentialMetrics metrics = new CredentialMetrics();
  private final Cache<ExchangeKey, Future<IssuedToken>> cache;

  /** One caller token (by SHA-256, never kept itself) for one project. */
  private record ExchangeKey(String tokenSha256, String project) {}

  TokenExchangeGrant(Vertx vertx, CredentialConfig.TokenExchange config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.endpoint = new TokenEndpoint(vertx, config.request(), clock);
    // Freshness is checked against the clock on every read; the cache only bounds memory.
    this.cache = Caffeine.newBuilder().executor(Runnable::run).maximumSize(config.cacheSize())
        .expireAfterAccess(Duration.ofHours(1)).build();
  }

  @Override
  public String kind() {
    return "token-exchange";
  }

  /** A cached exchanged token, or one exchange (shared by every request with the same caller token). */
  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    if (who == null || who.subjectToken() == null) {
      return Future.failedFuture(new CredentialUnavailable("token exchange needs the caller's verified token,"
          + " and this request has none"));
    }
    ExchangeKey key = new ExchangeKey(sha256(who.subjectToken()), who.project());
    Future<IssuedToken> cached = cache.getIfPresent(key);
    if (!fresh(cached) && !backoff.allows(clock.instant())) {
      return Future.failedFuture(new CredentialUnavailable("token exchange failing; backing off until "
          + backoff.nextAttempt()));
    }
    return exchangeOnce(key, who).map(this::presentation);
  }

  /** The cached exchange if in flight or fresh, else a new one that replaces it; failures are not kept. */
  private Future<IssuedToken> exchangeOnce(ExchangeKey key, OnBehalfOf who) {
    Future<IssuedToken> result = cache.asMap().compute(key, (k, existing) -> fresh(existing) ? existing : exchange(who));
    result.onFailure(err -> cache.asMap().remove(key, result));
    return result;
  }

  /** In flight, or done and not yet near expiry by the clock. */
  private boolean fresh(Future<IssuedToken> f) {
    return f != null && (!f.isComplete() || (f.succeeded() && clock.instant().isBefore(nearExpiry(f.result()))));
  }

  /** Drops the refused token (once) and exchanges again; a token exchanged moments ago is not retried. */
  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    if (who == null || who.subjectToken() == null) {
      return present(who);
    }
    ExchangeKey key = new ExchangeKey(sha256(who.subjectToken()), who.project());
    Future<IssuedToken> cached = cache.getIfPresent(key);
    if (cached != null && cached.succeeded() && presentation(cached.result()).sameSecret(refused)) {
      if (clock.instant().isBefore(cached.result().issuedAt().plus(backoff.min()))) {
        return Future.failedFuture(new CredentialUnavailable("the upstream refused a token exchanged moments ago"));
      }
      cache.asMap().remove(key, cached);
    }
    return present(who);
  }

  private Future<IssuedToken> exchange(OnBehalfOf who) {
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", GRANT_TYPE);
    grant.put("subject_token", who.subjectToken());
    grant.put("subject_token_type", config.subjectTokenType());
    grant.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    String project = who.project() == null ? "" : who.project();
    Instant callerExpiry = who.caller() == null ? null : who.caller().expiresAt();
    return endpoint.request(grant, config.request().forProject(project))
        .map(t -> callerExpiry == null || t.expiresAt().isBefore(callerExpiry) ? t
            : new IssuedToken(t.value(), t.issuedAt(), callerExpiry, t.keyId()))
        .onSuccess(t -> {
          backoff.succeeded();
          metrics.obtained(t.issuedAt(), t.expiresAt());
        })
        .onFailure(err -> {
          backoff.failed(clock.instant());
          metrics.failed();
        });
  }

  private static Instant nearExpiry(IssuedToken t) {
    Instant near = t.issuedAt().plusMillis((long) (t.lifetime().toMillis() * NEAR_EXPIRY));
    return near.isBefore(t.usableUntil()) ? near : t.usableUntil();
  }

  private Presentation presentation(IssuedToken t) {
    return Presentation.of(config.header(), config.scheme(), t.value(), t.keyId());
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Ready when the IdP is not being backed off from; exchanges happen per request, so none is held. */
  @Override
  public boolean ready() {
    return backoff.allows(clock.instant()) || backoff.failures() == 0;
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {
    endpoint.close();
  }

  @Override
  public CredentialMetrics metrics() {
    return metrics;
  }
}
