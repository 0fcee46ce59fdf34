package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.config.AuditConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The audit log fails closed for requests already on their way: one that came in while the log
 * was writable, and whose answer is ready only after the log failed, gets no data.
 */
class AuditFailsClosedTest {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Answers {@code /data} with data once the test says so, as a query waiting on its backend does. */
  static final class Waiting implements Endpoint {
    final CompletableFuture<Runnable> answer = new CompletableFuture<>();

    @Override
    public boolean matches(String path) {
      return path.equals("/data");
    }

    @Override
    public void handle(Exchange x) {
      Context context = Vertx.currentContext();
      answer.complete(() -> context.runOnContext(v -> {
        x.bodyRead();
        x.respond(200, "text/plain", Buffer.buffer("trace data of the caller's services"));
      }));
    }
  }

  @Test
  void anAnswerWhoseAuditEventIsNotTakenIsWithheld() throws Exception {
    // /dev/full takes the file open and fails every write (ENOSPC), as a disk that filled up
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full");
    Waiting waiting = new Waiting();
    try (RoutesServer routes = RoutesServer.start(new AuditConfig(full, 1024), Map.of(), List.of(waiting), 1 << 20,
        new NetServerOptions())) {
      CompletableFuture<HttpResponse<String>> read = http.sendAsync(request(routes, "/data"),
          HttpResponse.BodyHandlers.ofString());
      Runnable answer = waiting.answer.get(10, TimeUnit.SECONDS);

      // another request's event is the first the writer tries to write, and the log fails
      assertThat(http.send(request(routes, "/elsewhere"), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(404);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (routes.audit.writable()) {
        assertThat(System.nanoTime()).as("the audit log fails").isLessThan(deadline);
        Thread.sleep(5);
      }

      answer.run();
      HttpResponse<String> r = read.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).doesNotContain("trace data");
      JsonObject error = new JsonObject(r.body());
      assertThat(error.getString("error")).isEqualTo("audit log not writable; the answer is withheld until it is");
      assertThat(error.getString("request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());

      // and what comes in now is refused at the door
      HttpResponse<String> later = http.send(request(routes, "/data"), HttpResponse.BodyHandlers.ofString());
      assertThat(later.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(later.body()).getString("error"))
          .isEqualTo("audit log not writable; refusing requests until it is");
      assertThat(routes.audit.lost()).isGreaterThanOrEqualTo(3);
    }
  }

  private static HttpRequest request(RoutesServer routes, String path) {
    return HttpRequest.newBuilder(URI.create(routes.url(path))).timeout(Duration.ofSeconds(10)).build();
  }
}
