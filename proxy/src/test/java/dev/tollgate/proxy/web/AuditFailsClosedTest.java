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
 * The audit log fails closed for requests already on their way: a read that came in while the log
 * was writable, and whose answer is ready only after the log failed, gets no data; a write that
 * has not left yet is not sent.
 */
class AuditFailsClosedTest {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * Once the test says so: {@code /data} answers with data, as a query waiting on its backend
   * does; {@code /write} sends its write on, as ingest does once the body is read; {@code /written}
   * acknowledges a write that already left.
   */
  static final class Waiting implements Endpoint {
    final CompletableFuture<Runnable> answer = new CompletableFuture<>();
    volatile boolean sent;

    @Override
    public boolean matches(String path) {
      return path.equals("/data") || path.equals("/write") || path.equals("/written");
    }

    @Override
    public void handle(Exchange x) {
      Context context = Vertx.currentContext();
      String path = x.request().path();
      if (path.equals("/data")) {
        x.answersWithData();
      }
      answer.complete(() -> context.runOnContext(v -> {
        x.bodyRead();
        if (path.equals("/data")) {
          x.response().putHeader("x-tollgate-spans-removed", "3");
          x.respond(200, "text/plain", Buffer.buffer("trace data of the caller's services"));
        } else if (path.equals("/written") || !x.refuseUnaudited()) {
          sent = true;
          x.respond(202, null, null);
        }
      }));
    }
  }

  /** Starts a server audited to /dev/full, which takes the file open and fails every write (ENOSPC). */
  private static RoutesServer onAFailingDisk(Waiting waiting) throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full");
    return RoutesServer.start(new AuditConfig(full, 1024), Map.of(), List.of(waiting), 1 << 20,
        new NetServerOptions());
  }

  /** Sends {@code path}, waits until its endpoint holds it, makes the audit log fail, then lets it go on. */
  private HttpResponse<String> afterTheLogFails(RoutesServer routes, Waiting waiting, String path) throws Exception {
    CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request(routes, path),
        HttpResponse.BodyHandlers.ofString());
    Runnable goOn = waiting.answer.get(10, TimeUnit.SECONDS);
    // another request's event is the first the writer tries to write, and the log fails
    assertThat(http.send(request(routes, "/elsewhere"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (routes.audit.writable()) {
      assertThat(System.nanoTime()).as("the audit log fails").isLessThan(deadline);
      Thread.sleep(5);
    }
    goOn.run();
    return sent.get(10, TimeUnit.SECONDS);
  }

  /** A write that reaches its last check after the log failed is refused, and not sent. */
  @Test
  void aWriteIsNotSentOnOnceTheLogFails() throws Exception {
    Waiting waiting = new Waiting();
    try (RoutesServer routes = onAFailingDisk(waiting)) {
      HttpResponse<String> r = afterTheLogFails(routes, waiting, "/write");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("audit log not writable; refusing requests until it is");
      assertThat(waiting.sent).isFalse();
    }
  }

  /**
   * A write that left before the log failed is acknowledged all the same: it is upstream, and
   * withholding the acknowledgement would only have it sent again.
   */
  @Test
  void aWriteThatLeftIsAcknowledged() throws Exception {
    Waiting waiting = new Waiting();
    try (RoutesServer routes = onAFailingDisk(waiting)) {
      assertThat(afterTheLogFails(routes, waiting, "/written").statusCode()).isEqualTo(202);
      assertThat(routes.audit.lost()).as("its event, which the failed log refused").isEqualTo(1);
    }
  }

  @Test
  void anAnswerWhoseAuditEventIsNotTakenIsWithheld() throws Exception {
    Waiting waiting = new Waiting();
    try (RoutesServer routes = onAFailingDisk(waiting)) {
      HttpResponse<String> r = afterTheLogFails(routes, waiting, "/data");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).doesNotContain("trace data");
      assertThat(r.headers().firstValue("x-tollgate-spans-removed")).as("what the withheld answer held").isEmpty();
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
