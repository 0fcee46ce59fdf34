package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.AuditConfig;
import dev.tollgate.proxy.audit.AuditEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's promise: whatever an endpoint does, every request ends in an audited answer. */
class RoutesTest {
  @TempDir Path dir;
  RoutesServer routes;
  final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** An endpoint with a defect on each of its paths. */
  static final class Defective implements Endpoint {
    @Override
    public boolean matches(String path) {
      return path.startsWith("/broken/");
    }

    @Override
    public void handle(Exchange x) {
      if (x.request().path().equals("/broken/now")) {
        throw new IllegalStateException("a bug while handling");
      }
      Future.succeededFuture("later").onComplete(x.guard(ar -> {
        throw new IllegalStateException("a bug in a callback");
      }));
    }
  }

  @BeforeEach
  void start() throws Exception {
    routes = RoutesServer.start(new AuditConfig(dir.resolve("audit.jsonl"), 1024), HealthEndpoints.routes(List::of),
        List.of(new Defective()), 1 << 20, new NetServerOptions());
    routes.audit.addListener(events::add);
  }

  @AfterEach
  void stop() throws Exception {
    routes.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(routes.url(path)))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exceptionsEndInAnAudited500WithoutDetails() throws Exception {
    for (String path : List.of("/broken/now", "/broken/later")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(500);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("error")).isEqualTo("internal error");
      assertThat(body.getString("request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(r.body()).doesNotContain("bug");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(AuditEvent::status).containsExactly(500, 500);
  }

  /** An open route reads only: GET and HEAD are served unaudited, anything else is refused like any request. */
  @Test
  void anOpenRouteRefusesWhatIsNotAReadWithAnAudited405() throws Exception {
    assertThat(get("/healthz").body()).isEqualTo("ok\n");
    HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(routes.url("/healthz")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(routes.url("/healthz")))
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("this path takes GET or HEAD");
    assertThat(body.getString("request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(AuditEvent::status, AuditEvent::method, AuditEvent::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(405, "POST", "/healthz"));

    // a GET that brings a body is no read either: its body would be read unbounded, unaudited
    HttpResponse<String> withBody = http.send(HttpRequest.newBuilder(URI.create(routes.url("/healthz")))
        .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1000))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(withBody.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(withBody.body()).getString("error")).isEqualTo("this path takes no request body");
    while (events.size() < 2 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5)) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(AuditEvent::status).containsExactly(405, 400);
  }

  @Test
  void unknownPathIsAnAudited404() throws Exception {
    HttpResponse<String> r = get("/nothing/here");
    assertThat(r.statusCode()).isEqualTo(404);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(AuditEvent::path).containsExactly("/nothing/here");
  }
}
