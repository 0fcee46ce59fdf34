package dev.tollgate.auth.upstream;

import com.nimbusds.jwt.JWTParser;
import dev.tollgate.config.TokenRequestConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An OAuth2 token endpoint, called with Vert.x's non-blocking client. Answers are bounded to 64 KiB
 * and read for {@code access_token}, {@code token_type} and {@code expires_in}; failures carry the
 * HTTP status and the OAuth2 {@code error} code only, never the answer's body or the request's
 * secrets.
 */
final class TokenEndpoint {
  private static final System.Logger LOG = System.getLogger(TokenEndpoint.class.getName());
  private static final int MAX_ANSWER = 64 * 1024;
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
  private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  /** Assumed when the endpoint states no lifetime: short, so a wrong guess costs a refresh, not an outage. */
  static final long DEFAULT_LIFETIME_SECONDS = 300;

  private final HttpClient http;
  private final TokenRequestConfig config;
  private final ClientAuthentication client;
  private final Clock clock;
  private final AtomicLong issued = new AtomicLong();

  TokenEndpoint(Vertx vertx, TokenRequestConfig config, Clock clock) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setName("tollgate-token-endpoint")
        .setConnectTimeout((int) Math.min(config.timeout().toMillis(), 5_000)));
    this.config = config;
    // Assertions are checked by the IdP against its own clock, so they carry wall-clock time; the
    // injected clock times Tollgate's own refresh and expiry decisions.
    this.client = new ClientAuthentication(vertx, config.client(), config.tokenUrl(), Clock.systemUTC());
    this.clock = clock;
  }

  /**
   * Asks for a token with {@code grant} (grant_type and its parameters) plus the scopes, audiences
   * and resources of {@code scoped}. Costs one HTTP round trip, and a signature for private_key_jwt.
   * Fails with {@link CredentialUnavailable} when no token was issued.
   */
  Future<IssuedToken> request(Map<String, String> grant, TokenRequestConfig scoped) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    grant.forEach(form::add);
    if (!scoped.scopes().isEmpty()) {
      form.add("scope", String.join(" ", scoped.scopes()));
    }
    scoped.audiences().forEach(a -> form.add("audience", a));
    scoped.resources().forEach(r -> form.add("resource", r));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .set("content-type", "application/x-www-form-urlencoded")
        .set("accept", "application/json");
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(config.tokenUrl().toString()).setIdleTimeout(config.timeout().toMillis());
    return client.apply(form, headers)
        .compose(v -> http.request(options.setHeaders(headers))
            .compose(req -> ClientExchange.within(req, req.send(encode(form)), this::read, config.timeout().toMillis())))
        .recover(this::failed);
  }

  // The sender and the audit get a reason without addresses or paths; the operator's log gets where.
  private Future<IssuedToken> failed(Throwable err) {
    CredentialUnavailable reason = err instanceof CredentialUnavailable c ? c
        : new CredentialUnavailable("token endpoint unreachable (" + err.getClass().getSimpleName() + ")");
    LOG.log(System.Logger.Level.WARNING, "token request to " + config.tokenUrl() + " failed: " + reason.getMessage());
    return Future.failedFuture(reason);
  }

  private Future<IssuedToken> read(HttpClientResponse resp) {
    return BoundedBody.read(resp, MAX_ANSWER,
            () -> new CredentialUnavailable("token endpoint answer larger than " + MAX_ANSWER + " bytes"))
        .map(body -> parse(resp.statusCode(), body));
  }

  private IssuedToken parse(int status, Buffer body) {
    JsonObject json;
    try {
      json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      json = new JsonObject();
    }
    if (status != 200) {
      Object error = json.getValue("error");
      String code = error instanceof String s && ERROR_CODE.matcher(s).matches() ? ", error " + s : "";
      throw new CredentialUnavailable("token endpoint answered HTTP " + status + code);
    }
    Object token = json.getValue("access_token");
    Object type = json.getValue("token_type");
    if (!(token instanceof String value) || value.isEmpty() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new CredentialUnavailable("token endpoint answered without a usable access_token");
    }
    if (!(type instanceof String t) || !t.toLowerCase(Locale.ROOT).equals("bearer")) {
      throw new CredentialUnavailable("token endpoint issued a token that is not a Bearer token");
    }
    Object expiresIn = json.getValue("expires_in");
    long seconds = expiresIn instanceof Number n && n.longValue() > 0 ? n.longValue() : DEFAULT_LIFETIME_SECONDS;
    Instant now = clock.instant();
    long n = issued.incrementAndGet();
    return new IssuedToken(value, now, now.plusSeconds(seconds), keyId(value, n));
  }

  /** The token's {@code jti} when it is a JWT that has one (an identifier, not a secret), else a counter. */
  private static String keyId(String token, long n) {
    try {
      String jti = JWTParser.parse(token).getJWTClaimsSet().getJWTID();
      if (jti != null && PRINTABLE_ID.matcher(jti).matches()) {
        return "jti:" + jti;
      }
    } catch (ParseException | RuntimeException notAJwt) {
      // opaque tokens are fine; they get a counter
    }
    return "#" + n;
  }

  private static Buffer encode(MultiMap form) {
    StringBuilder out = new StringBuilder();
    form.forEach(e -> {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    });
    return Buffer.buffer(out.toString());
  }

  void close() {
    http.close();
  }
}
