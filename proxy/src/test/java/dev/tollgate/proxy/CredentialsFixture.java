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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real Tollgate on loopback, timed by a {@link TestClock}, with one upstream per credential kind
 * that fetches from the real OIDC server: project {@code shop} goes out with client credentials,
 * {@code exchanged} with token exchange, {@code minted} with a JWT Tollgate signs. All three land in
 * one {@link RecordingCollector}.
 */
final class CredentialsFixture implements AutoCloseable {
  static final String CLIENT_SECRET = "cc-secret-7f3a9d2e";
  static final String IDENTITY = "https://tollgate.test";
  static final Duration ROTATE = Duration.ofMinutes(10);
  static final Duration AHEAD = Duration.ofMinutes(2);
  static final String POLICY = String.join("\n",
      "roles:",
      "  - name: writer",
      "    rules: [{actions: [write], projects: [shop, exchanged, minted]}]",
      "bindings: [{role: writer, clients: [shop-collector]}]",
      "");

  final Vertx vertx = Tollgate.newVertx(new VertxOptions());
  final MockOAuth2Server idp = new MockOAuth2Server();
  final TestClock clock = new TestClock();
  final RecordingCollector collector;
  final Path dir;
  final Tollgate tollgate;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  CredentialsFixture(Path dir) throws Exception {
    this.dir = dir;
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    collector = RecordingCollector.start(vertx);
    Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET + "\n");
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    Files.writeString(dir.resolve("tollgate.yaml"), config());
    tollgate = StartedTollgate.start(vertx, dir, clock);
  }

  private String config() {
    String collectorUrl = "http://127.0.0.1:" + collector.port();
    String tokenUrl = "http://127.0.0.1:" + idp.baseUrl().port() + "/corp/token";
    return String.join("\n",
        "server: {host: 127.0.0.1, port: 0, event_loops: 2}",
        "issuers:",
        "  - {name: corp, issuer: \"" + idp.issuerUrl("corp") + "\", jwks_url: \"" + idp.jwksUrl("corp")
            + "\", audiences: [tollgate]}",
        "identity: {issuer: " + IDENTITY + ", subject: tollgate-test, rotate_every: " + ROTATE.toMinutes()
            + "m, publish_ahead: " + AHEAD.toMinutes() + "m}",
        "projects:",
        "  - {name: shop, upstream: cc}",
        "  - {name: exchanged, upstream: exchange}",
        "  - {name: minted, upstream: mint}",
        "upstreams:",
        "  cc:",
        "    url: " + collectorUrl,
        "    credential: {kind: client-credentials, token_url: \"" + tokenUrl + "\", client_id: tollgate,"
            + " client_secret_file: client-secret, scopes: [collector-write]}",
        "  exchange:",
        "    url: " + collectorUrl,
        "    credential: {kind: token-exchange, token_url: \"" + tokenUrl + "\", client_id: tollgate,"
            + " client_auth: client_secret_post, client_secret_file: client-secret, audience: [\"collector-{project}\"]}",
        "  mint:",
        "    url: " + collectorUrl,
        "    credential: {kind: minted, ttl: 5m}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}",
        "");
  }

  /** A token from the real OIDC server for a workload with this client id. */
  String token(String clientId) {
    return idp.issueToken("corp", clientId, new DefaultOAuth2TokenCallback("corp", clientId, "JWT",
        List.of("tollgate"), Map.of("azp", clientId), 3600)).serialize();
  }

  HttpResponse<byte[]> export(String project, String token) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(url("/projects/" + project + "/v1/traces")).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/x-protobuf").header("authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Otlp.traces("checkout:1").toByteArray())).build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + tollgate.port() + path);
  }

  String auditFile() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    return Files.exists(file) ? Files.readString(file) : "";
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
