package dev.tollgate.proxy;

import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
 * A real Tollgate on loopback, in front of a {@link RecordingCollector}, trusting a real OIDC
 * server (mock-oauth2-server) for tokens. One per test class.
 */
final class TollgateFixture implements AutoCloseable {
  static final String ISSUER_ID = "corp";
  /**
   * A config whose keys never load (nothing listens on port 9), listening on {@code port}: a request
   * without a token is refused 401, audited to {@code audit.jsonl}. Needs {@link #POLICY} in
   * {@code policy.yaml} beside it.
   */
  static String keylessConfig(int port) {
    return String.join("\n",
        "server: {host: 127.0.0.1, port: " + port + ", event_loops: 1}",
        "issuers: [{name: corp, issuer: 'http://127.0.0.1:9/corp', jwks_url: 'http://127.0.0.1:9/jwks',"
            + " audiences: [tollgate]}]",
        "projects: [{name: shop}, {name: dead, upstream: ingest}]",
        "upstreams: {ingest: {url: 'http://127.0.0.1:9', credential: {kind: none}}}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}", "");
  }

  static final String POLICY = String.join("\n",
      "roles:",
      "  - name: shop-writer",
      "    rules:",
      "      - actions: [write]",
      "        projects: [shop]",
      "        services: [checkout, \"cart-*\"]",
      "      - actions: [write]",
      "        projects: [shop]",
      "        services: [cart-debug]",
      "        effect: deny",
      "  - name: dead-writer",
      "    rules:",
      "      - actions: [write]",
      "        projects: [dead]",
      "bindings:",
      "  - role: shop-writer",
      "    clients: [shop-collector]",
      "  - role: dead-writer",
      "    clients: [shop-collector]",
      "");

  final Vertx vertx = Tollgate.newVertx(new VertxOptions());
  final MockOAuth2Server idp = new MockOAuth2Server();
  final RecordingCollector collector;
  final Path dir;
  final Path upstreamTokenFile;
  final Tollgate tollgate;
  static final String SERVER = "{host: 127.0.0.1, port: 0, max_body: 1MiB, event_loops: 2}";
  final HttpClient http;
  private final String server;
  private final String scheme;

  TollgateFixture(Path dir) throws Exception {
    this(dir, SERVER, "http", HttpClient.newBuilder());
  }

  /** A fixture with its own {@code server:} section, scheme and client (for TLS and limits). */
  TollgateFixture(Path dir, String server, String scheme, HttpClient.Builder client) throws Exception {
    this.dir = dir;
    this.server = server;
    this.scheme = scheme;
    this.http = client.version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    collector = RecordingCollector.start(vertx);
    upstreamTokenFile = dir.resolve("upstream-token");
    Files.writeString(upstreamTokenFile, "upstream-token-1\n");
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    Files.writeString(dir.resolve("tollgate.yaml"), config());
    tollgate = StartedTollgate.start(vertx, dir, Clock.systemUTC());
  }

  private String config() {
    return String.join("\n",
        "server: " + server,
        "issuers:",
        "  - name: corp",
        "    issuer: " + idp.issuerUrl(ISSUER_ID),
        "    jwks_url: " + idp.jwksUrl(ISSUER_ID),
        "    audiences: [tollgate]",
        "projects:",
        "  - {name: shop}",
        "  - {name: payments}",
        "  - {name: dead, upstream: dead}",
        "upstreams:",
        "  ingest:",
        "    url: http://127.0.0.1:" + collector.port(),
        "    tenant_header: X-Scope-OrgID",
        "    timeout: 2s",
        "    credential: {kind: static-file, file: upstream-token, header: Authorization, poll: 100ms}",
        "  dead:",
        "    url: http://127.0.0.1:" + closedPort(),
        "    timeout: 1s",
        "    credential: {kind: none}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}",
        "");
  }

  private static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token from the real OIDC server for a workload with this client id. */
  String token(String clientId) {
    return token(clientId, List.of("tollgate"), Map.of("azp", clientId), 3600);
  }

  String token(String clientId, List<String> audiences, Map<String, Object> claims, long ttlSeconds) {
    SignedJWT jwt = idp.issueToken(ISSUER_ID, clientId,
        new DefaultOAuth2TokenCallback(ISSUER_ID, clientId, "JWT", audiences, claims, ttlSeconds));
    return jwt.serialize();
  }

  URI url(String path) {
    return URI.create(scheme + "://127.0.0.1:" + tollgate.port() + path);
  }

  HttpResponse<byte[]> post(String path, String token, String contentType, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The audit log's lines so far, waiting up to 5 s for at least {@code n}. */
  List<String> auditLines(int n) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> lines = List.of();
    while (System.nanoTime() < deadline) {
      lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      if (lines.size() >= n) {
        return lines;
      }
      Thread.sleep(20);
    }
    return lines;
  }

  /** The audit event of the request that got {@code response}, waiting up to 5 s for it. */
  io.vertx.core.json.JsonObject audit(HttpResponse<?> response) throws Exception {
    return AuditFile.eventOf(dir.resolve("audit.jsonl"), response);
  }

  io.vertx.core.json.JsonObject audit(String requestId) throws Exception {
    return AuditFile.eventOf(dir.resolve("audit.jsonl"), requestId);
  }

  io.vertx.core.json.JsonObject auditWith(String fragment) throws Exception {
    return AuditFile.eventWith(dir.resolve("audit.jsonl"), fragment);
  }

  @Override
  public void close() throws Exception {
    tollgate.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    collector.close();
    idp.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
