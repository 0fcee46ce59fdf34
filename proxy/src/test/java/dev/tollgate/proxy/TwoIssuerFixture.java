package dev.tollgate.proxy;

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
 * A real Tollgate on loopback trusting two issuers of one real OIDC server (mock-oauth2-server),
 * {@code corp} and {@code partners}, as two realms of one Keycloak would be; its policy binds names
 * of {@code corp} only. It mints its own tokens as {@code identity.issuer} = its own loopback URL,
 * so a verifier can discover its keys. Project {@code shop} forwards with no credential, {@code
 * minted} with a minted JWT; both land in one {@link RecordingCollector}.
 */
final class TwoIssuerFixture implements AutoCloseable {
  static final String POLICY = String.join("\n",
      "roles:",
      "  - name: writer",
      "    rules: [{actions: [write], projects: [shop, minted]}]",
      "bindings:",
      "  - role: writer",
      "    issuers: [corp]",
      "    users: [alice]",
      "    clients: [shop-collector]",
      "    groups: [shop-developers]",
      "");

  final Vertx vertx = Tollgate.newVertx(new VertxOptions());
  final MockOAuth2Server idp = new MockOAuth2Server();
  final RecordingCollector collector;
  final Path dir;
  final int port;
  final Tollgate tollgate;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  TwoIssuerFixture(Path dir) throws Exception {
    this.dir = dir;
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    collector = RecordingCollector.start(vertx);
    port = FreePort.on("127.0.0.1");
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    Files.writeString(dir.resolve("tollgate.yaml"), config());
    tollgate = StartedTollgate.start(vertx, dir, Clock.systemUTC());
  }

  private String config() {
    String collectorUrl = "http://127.0.0.1:" + collector.port();
    return String.join("\n",
        "server: {host: 127.0.0.1, port: " + port + ", event_loops: 2}",
        "issuers:",
        issuer("corp"),
        issuer("partners"),
        "identity: {issuer: \"" + identityIssuer() + "\", subject: tollgate-test}",
        "projects:",
        "  - {name: shop, upstream: plain}",
        "  - {name: minted, upstream: mint}",
        "upstreams:",
        "  plain: {url: \"" + collectorUrl + "\", credential: {kind: none}}",
        "  mint: {url: \"" + collectorUrl + "\", credential: {kind: minted, ttl: 2m}}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}",
        "");
  }

  private String issuer(String id) {
    return "  - {name: " + id + ", issuer: \"" + idp.issuerUrl(id) + "\", jwks_url: \"" + idp.jwksUrl(id)
        + "\", audiences: [tollgate]}";
  }

  /** Tollgate's own issuer: its loopback URL, where it serves its discovery document. */
  String identityIssuer() {
    return "http://127.0.0.1:" + port;
  }

  /** A token of issuer {@code corp} or {@code partners} for this subject, with extra claims. */
  String token(String issuerId, String subject, Map<String, Object> claims) {
    return idp.issueToken(issuerId, subject, new DefaultOAuth2TokenCallback(issuerId, subject, "JWT",
        List.of("tollgate"), claims, 3600)).serialize();
  }

  HttpResponse<byte[]> export(String project, String token) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(url("/projects/" + project + "/v1/traces")).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/x-protobuf").header("authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Otlp.traces("checkout:1").toByteArray())).build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + tollgate.port() + path);
  }

  /** The audit event of the request that got {@code response}, waiting up to 5 s for it. */
  JsonObject audit(HttpResponse<?> response) throws Exception {
    return AuditFile.eventOf(dir.resolve("audit.jsonl"), response);
  }

  @Override
  public void close() throws Exception {
    tollgate.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    collector.close();
    idp.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
