package dev.tollgate.proxy.query;

import dev.tollgate.proxy.StartedTollgate;
import dev.tollgate.proxy.Tollgate;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real Tollgate on loopback in front of trace backends, trusting a real OIDC server
 * (mock-oauth2-server). Readers: alice (checkout, cart-*), bob (payments), carol (everything), dave
 * (nothing). Projects: shop (Zipkin), jaeger, tempo (a URL template), other (Zipkin, no reader).
 */
final class QueryFixture implements AutoCloseable {
  static final String POLICY = String.join("\n",
      "roles:",
      "  - name: mesh-writer",
      "    rules:",
      "      - {actions: [write], projects: [shop], signals: [traces], services: [checkout, \"cart-*\", payments]}",
      "  - name: checkout-reader",
      "    rules:",
      "      - {actions: [read], projects: [shop, jaeger, tempo], services: [checkout, \"cart-*\"]}",
      "  - name: payments-reader",
      "    rules:",
      "      - {actions: [read], projects: [shop, jaeger, tempo], services: [payments]}",
      "  - name: all-reader",
      "    rules:",
      "      - {actions: [read], projects: [shop, jaeger, tempo]}",
      "bindings:",
      "  - {role: mesh-writer, clients: [mesh]}",
      "  - {role: checkout-reader, users: [alice]}",
      "  - {role: payments-reader, users: [bob]}",
      "  - {role: all-reader, users: [carol]}",
      "");

  /** query.max_response: room for answers above {@link QueryForwarder#INLINE_FILTER}, filtered off the loop. */
  static final int MAX_RESPONSE = 256 * 1024;

  final Vertx vertx;
  /** The one backend of every project, for fixtures made {@linkplain #withFakeBackend with one}. */
  final FakeBackend backend;
  final MockOAuth2Server idp = new MockOAuth2Server();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final Path dir;
  final Tollgate tollgate;

  /**
   * @param zipkin the Zipkin base URL for projects shop and other
   * @param jaeger the Jaeger base URL
   * @param tempoTemplate the Tempo URL template (with {tenant})
   * @param forbiddenSpans remove or redact
   */
  QueryFixture(Path dir, String zipkin, String jaeger, String tempoTemplate, String forbiddenSpans) throws Exception {
    this(dir, Tollgate.newVertx(new VertxOptions()), null, zipkin, jaeger, tempoTemplate, forbiddenSpans);
  }

  /** A fixture whose Zipkin, Jaeger and Tempo are one {@link FakeBackend}, closed with it. */
  static QueryFixture withFakeBackend(Path dir, String forbiddenSpans) throws Exception {
    Vertx vertx = Tollgate.newVertx(new VertxOptions());
    FakeBackend backend = new FakeBackend(vertx);
    String url = "http://127.0.0.1:" + backend.port();
    return new QueryFixture(dir, vertx, backend, url, url, url + "/t/{tenant}", forbiddenSpans);
  }

  private QueryFixture(Path dir, Vertx vertx, FakeBackend backend, String zipkin, String jaeger, String tempoTemplate,
      String forbiddenSpans) throws Exception {
    this.dir = dir;
    this.vertx = vertx;
    this.backend = backend;
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    Files.writeString(dir.resolve("tollgate.yaml"), String.join("\n",
        "server: {host: 127.0.0.1, port: 0, max_body: 1MiB, event_loops: 1}",
        "issuers:",
        "  - {name: corp, issuer: " + idp.issuerUrl("corp") + ", jwks_url: " + idp.jwksUrl("corp")
            + ", audiences: [tollgate]}",
        "projects:",
        "  - {name: shop, zipkin_upstream: zipkin, query_upstream: zipkin}",
        "  - {name: other, query_upstream: zipkin}",
        "  - {name: jaeger, query_upstream: jaeger}",
        "  - {name: tempo, tenant: tempo-tenant, query_upstream: tempo}",
        "upstreams:",
        "  ingest: {url: 'http://127.0.0.1:9', credential: {kind: none}}",
        "  zipkin: {url: '" + zipkin + "', backend: zipkin, tenant_header: X-Scope-OrgID, credential: {kind: none}}",
        "  jaeger: {url: '" + jaeger + "', backend: jaeger, tenant_header: X-Scope-OrgID, credential: {kind: none}}",
        "  tempo: {url: '" + tempoTemplate + "', backend: tempo, tenant_header: X-Scope-OrgID, credential: {kind: none}}",
        "query: {forbidden_spans: " + forbiddenSpans + ", max_response: " + MAX_RESPONSE / 1024
            + "KiB, audit_trace_ids: 2}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}",
        ""));
    tollgate = StartedTollgate.start(vertx, dir, Clock.systemUTC());
  }

  /** A token for a person (subject {@code user}). */
  String user(String user) {
    return idp.issueToken("corp", "ui", new DefaultOAuth2TokenCallback("corp", user, "JWT", List.of("tollgate"),
        Map.of("azp", "ui"), 3600)).serialize();
  }

  /** A token for a workload with client id {@code client}. */
  String client(String client) {
    return idp.issueToken("corp", client, new DefaultOAuth2TokenCallback("corp", client, "JWT", List.of("tollgate"),
        Map.of("azp", client), 3600)).serialize();
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + tollgate.port() + pathAndQuery;
  }

  /** GETs {@code pathAndQuery} (sent as written, not re-encoded) as {@code user}; extra headers in pairs. */
  HttpResponse<String> get(String user, String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(15));
    if (user != null) {
      b.header("Authorization", "Bearer " + user(user));
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The audit event of the request that got {@code response}, waiting up to 5 s for it. */
  JsonObject audit(HttpResponse<?> response) throws Exception {
    return dev.tollgate.proxy.AuditFile.eventOf(dir.resolve("audit.jsonl"), response);
  }

  @Override
  public void close() throws Exception {
    tollgate.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    idp.shutdown();
    if (backend != null) {
      backend.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
