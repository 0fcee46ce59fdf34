package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tollgate starts while the IdP is down, says so on /readyz, asks senders to retry, and recovers. */
class ReadinessTest {
  @TempDir Path dir;

  @Test
  void startsWithIdpDownAndBecomesReadyWhenKeysArrive() throws Exception {
    Vertx vertx = Tollgate.newVertx(new VertxOptions());
    MockOAuth2Server idp = new MockOAuth2Server();
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int jwksPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      jwksPort = s.getLocalPort();
    }
    Files.writeString(dir.resolve("policy.yaml"), TollgateFixture.POLICY);
    Files.writeString(dir.resolve("t.yaml"), String.join("\n",
        "server: {host: 127.0.0.1, port: 0, event_loops: 1}",
        "issuers: [{name: corp, issuer: '" + idp.issuerUrl("corp") + "', jwks_url: 'http://127.0.0.1:" + jwksPort
            + "/jwks', audiences: [tollgate]}]",
        "projects: [{name: shop}, {name: dead}]",
        "upstreams: {ingest: {url: 'http://127.0.0.1:9', credential: {kind: none}}}",
        "policy: {files: [policy.yaml]}",
        "audit: {file: audit.jsonl}", "").replace("{name: dead}", "{name: dead, upstream: ingest}"));
    TollgateConfig config = TollgateConfig.load(dir.resolve("t.yaml"), false, EnvSubstitution.fromSystem());
    Tollgate t = Tollgate.start(vertx, config, Clock.systemUTC(), null).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    HttpServer jwks = null;
    try {
      URI base = URI.create("http://127.0.0.1:" + t.port());
      assertThat(get(http, base.resolve("/healthz")).statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(http, base.resolve("/readyz"));
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("issuer corp");

      String token = idp.issueToken("corp", "shop-collector", "tollgate").serialize();
      HttpResponse<String> retry = http.send(HttpRequest.newBuilder(base.resolve("/projects/shop/v1/traces"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Otlp.traces("checkout:1").toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(retry.statusCode()).as("keys not loaded yet: retryable, never a 401 that drops data").isEqualTo(503);
      assertThat(retry.headers().firstValue("retry-after")).isPresent();

      String keys = get(http, URI.create(idp.jwksUrl("corp").toString())).body();
      jwks = vertx.createHttpServer().requestHandler(r -> r.response().putHeader("content-type", "application/json").end(keys))
          .listen(jwksPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (get(http, base.resolve("/readyz")).statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(get(http, base.resolve("/readyz")).body()).contains("\"ready\":true");
    } finally {
      t.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      idp.shutdown();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
