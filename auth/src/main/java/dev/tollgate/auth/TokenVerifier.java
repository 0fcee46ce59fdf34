package dev.tollgate.auth;

import dev.tollgate.auth.VerifiedTokenCache.TokenDigest;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.KeySource;
import dev.tollgate.config.Loopback;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns bearer JWTs into {@link Caller}s for a fixed set of trusted issuers. Thread-safe; one
 * instance per loaded configuration.
 *
 * <p>The token's {@code iss} picks the issuer; that issuer's keys and rules then verify everything.
 * Keys load in the background and refresh ahead of need, so verification never waits on I/O except
 * for a token signed by a key not seen yet.
 */
public final class TokenVerifier {
  private static final System.Logger LOG = System.getLogger(TokenVerifier.class.getName());
  /** Default bound of the verified-token cache: about 10 MB of heap when full. */
  public static final long DEFAULT_CACHE_SIZE = 100_000;
  /** Real access tokens are a few KiB; refusing giants bounds the parse work an attacker can ask for. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;
  /** A JWKS file is polled at least this often, so a replaced file takes effect quickly. */
  static final Duration FILE_POLL = Duration.ofSeconds(5);

  private final Map<String, IssuerVerifier> byIssuer = new HashMap<>();
  private final Map<String, IssuerKeys> keysByName = new LinkedHashMap<>();
  private final Map<String, String> issuerByName = new HashMap<>();
  private final VerifiedTokenCache cache;
  private final LongAdder signatureChecks = new LongAdder();
  private HttpClient httpClient;

  private TokenVerifier(long cacheSize, Clock clock) {
    this.cache = new VerifiedTokenCache(cacheSize, clock);
  }

  /** A verifier with a {@value #DEFAULT_CACHE_SIZE}-entry token cache. See the full overload. */
  public static TokenVerifier create(Vertx vertx, List<IssuerConfig> issuers, Clock clock, DevIssuer devIssuerOrNull) {
    return create(vertx, issuers, clock, devIssuerOrNull, DEFAULT_CACHE_SIZE);
  }

  /**
   * A verifier for {@code issuers}; nothing is fetched until {@link #start()}.
   *
   * @param clock decides {@code exp}/{@code nbf}, cache expiry and the unknown-kid refetch interval
   * @param devIssuerOrNull required when an issuer uses {@link KeySource.DevIssuer}
   * @param cacheSize how many verified tokens to remember; 0 disables the cache
   * @throws IllegalArgumentException for a configuration this class cannot honour
   */
  public static TokenVerifier create(Vertx vertx, List<IssuerConfig> issuers, Clock clock, DevIssuer devIssuerOrNull,
      long cacheSize) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(clock, "clock");
    TokenVerifier verifier = new TokenVerifier(cacheSize, clock);
    for (IssuerConfig config : issuers) {
      verifier.add(vertx, config, clock, devIssuerOrNull);
    }
    return verifier;
  }

  private void add(Vertx vertx, IssuerConfig config, Clock clock, DevIssuer dev) {
    String iss = expectedIssuer(config, dev);
    if (config.name() == null || keysByName.containsKey(config.name())) {
      throw new IllegalArgumentException("issuer " + iss + ": missing or duplicate name \"" + config.name() + "\"");
    }
    if (config.audiences() == null || config.audiences().isEmpty()) {
      throw new IllegalArgumentException("issuer " + config.name() + ": at least one audience is required");
    }
    if (byIssuer.containsKey(iss)) {
      throw new IllegalArgumentException("issuer " + config.name() + ": iss " + iss + " is configured twice");
    }
    Duration refresh = config.jwksRefresh();
    if (config.keys() instanceof KeySource.JwksFile && (refresh == null || refresh.compareTo(FILE_POLL) > 0)) {
      refresh = FILE_POLL;
    }
    IssuerKeys keys = new IssuerKeys(vertx, config.name(), loader(vertx, config, dev), clock, refresh,
        config.jwksMinRefetch());
    keysByName.put(config.name(), keys);
    issuerByName.put(config.name(), iss);
    byIssuer.put(iss, new IssuerVerifier(config, iss, keys, clock, signatureChecks));
  }

  private static String expectedIssuer(IssuerConfig config, DevIssuer dev) {
    if (!(config.keys() instanceof KeySource.DevIssuer)) {
      if (config.issuer() == null || config.keys() == null) {
        throw new IllegalArgumentException("issuer " + config.name() + ": issuer and keys are required");
      }
      return config.issuer();
    }
    if (dev == null) {
      throw new IllegalArgumentException("issuer " + config.name() + ": kind dev needs the development issuer");
    }
    if (config.issuer() != null && !config.issuer().equals(dev.issuer())) {
      throw new IllegalArgumentException("issuer " + config.name() + ": the development issuer's iss is "
          + dev.issuer() + ", not " + config.issuer());
    }
    return dev.issuer();
  }

  private KeyLoader loader(Vertx vertx, IssuerConfig config, DevIssuer dev) {
    KeySource source = config.keys();
    if (source instanceof KeySource.Discovery discovery) {
      return JwksFetcher.discovery(http(vertx), secure(config, discovery.configurationUrl()), config.issuer());
    }
    if (source instanceof KeySource.JwksUrl url) {
      return JwksFetcher.jwksUrl(http(vertx), secure(config, url.url()));
    }
    if (source instanceof KeySource.JwksFile file) {
      return new JwksFileReader(vertx.fileSystem(), file.file());
    }
    return new KeyLoader() {
      @Override
      public Future<String> load() {
        return Future.succeededFuture(dev.jwksJson());
      }

      @Override
      public String describe() {
        return "the development issuer";
      }

      @Override
      public boolean canChange() {
        return false;
      }
    };
  }

  /** The config refuses these already; checked again for issuers built in code. */
  private static URI secure(IssuerConfig config, URI keys) {
    if (!"https".equals(keys.getScheme()) && !Loopback.is(keys)) {
      throw new IllegalArgumentException("issuer " + config.name() + ": keys at " + keys
          + " would be fetched in clear; use https (plain http only on loopback)");
    }
    return keys;
  }

  private HttpClient http(Vertx vertx) {
    if (httpClient == null) {
      httpClient = vertx.createHttpClient(new HttpClientOptions().setName("tollgate-jwks").setKeepAlive(false));
    }
    return httpClient;
  }

  /**
   * Starts loading every issuer's keys in the background. Completes at once, also when an IdP is
   * down: Tollgate must start anyway, and {@link #ready()} says when keys are there.
   */
  public Future<Void> start() {
    keysByName.values().forEach(IssuerKeys::start);
    return Future.succeededFuture();
  }

  /**
   * The caller a compact JWS proves. A token verified before and not yet expired costs one SHA-256
   * (none when this thread hashed the same token last) and a cache lookup; a new token costs a scan
   * of its characters ({@link BearerToken#check}), a parse and one signature check; a token naming
   * an unknown key may wait for one shared JWKS refetch. The future completes on the calling Vert.x
   * context.
   *
   * @return a future failed with {@link AuthenticationException} when the token is not acceptable:
   *     {@code INVALID_REQUEST} when it is not one token68, {@code INVALID_TOKEN} for the rest
   */
  public Future<Caller> verify(String compactJwt) {
    try {
      if (compactJwt == null || compactJwt.isEmpty()) {
        throw AuthenticationException.invalidToken("empty token");
      }
      if (compactJwt.length() > MAX_TOKEN_CHARS) {
        throw AuthenticationException.invalidToken("token larger than " + MAX_TOKEN_CHARS + " characters");
      }
      TokenDigest digest = TokenDigest.of(compactJwt);
      Caller cached = cache.get(digest);
      if (cached != null) {
        return Future.succeededFuture(cached);
      }
      // Only a token that passes this check is ever cached, so a hit above needs no check of its own.
      BearerToken.check(compactJwt);
      UnverifiedToken token = UnverifiedToken.parse(compactJwt);
      IssuerVerifier issuer = byIssuer.get(token.issuer());
      if (issuer == null) {
        throw AuthenticationException.invalidToken("token issuer is not trusted here");
      }
      Future<Caller> result = issuer.verify(token).andThen(ar -> {
        if (ar.succeeded()) {
          cache.put(digest, ar.result());
        }
      });
      return result.isComplete() ? failClosed(result) : onCallerContext(failClosed(result));
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return failClosed(Future.failedFuture(e));
    }
  }

  private static Future<Caller> failClosed(Future<Caller> result) {
    return result.recover(e -> {
      if (e instanceof AuthenticationException) {
        return Future.failedFuture(e);
      }
      LOG.log(Level.ERROR, "token verification failed unexpectedly: " + e.getClass().getName());
      return Future.failedFuture(AuthenticationException.invalidToken("token could not be verified"));
    });
  }

  // A refetch completes on whichever event loop ran the HTTP request; hand the result back to the
  // caller's context so the proxy keeps its one-thread-per-connection model.
  private static <T> Future<T> onCallerContext(Future<T> result) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  /** Whether every issuer has loaded its keys at least once. Cheap: reads one field per issuer. */
  public boolean ready() {
    return keysByName.values().stream().allMatch(k -> k.current().loaded());
  }

  /** Each issuer's key state, in configuration order. */
  public List<IssuerStatus> status() {
    List<IssuerStatus> out = new ArrayList<>();
    keysByName.forEach((name, keys) -> {
      KeySnapshot snapshot = keys.current();
      out.add(new IssuerStatus(name, issuerByName.get(name), keys.describe(), snapshot.loaded(), snapshot.size(),
          snapshot.loadedAt(), keys.lastError(), keys.fetches()));
    });
    return out;
  }

  /** How many key loads (JWKS fetches or file reads) an issuer has started; for tests and metrics. */
  public long jwksFetches(String issuerName) {
    IssuerKeys keys = keysByName.get(issuerName);
    if (keys == null) {
      throw new IllegalArgumentException("no issuer named \"" + issuerName + "\"; known: " + keysByName.keySet());
    }
    return keys.fetches();
  }

  /** How many signature checks have run; cache hits run none. For tests and metrics. */
  public long signatureVerifications() {
    return signatureChecks.sum();
  }

  /** Stops key refreshes and releases the HTTP client. Verification keeps working on loaded keys. */
  public void close() {
    keysByName.values().forEach(IssuerKeys::close);
    if (httpClient != null) {
      httpClient.close();
    }
  }
}
