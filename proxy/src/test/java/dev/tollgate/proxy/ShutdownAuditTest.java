package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate serve} stopped by SIGTERM while it serves: it exits, and every answer a caller
 * received has its audit event in the file. The JVM halts once its shutdown hooks return, with the
 * audit writer (a daemon thread), so the hook waits for the log; at this load the writer is seldom
 * behind, so that the wait itself is pinned by {@code DevModeTest}, and this is the whole path in a
 * real process.
 */
class ShutdownAuditTest {
  private static final Pattern LISTENING = Pattern.compile("tollgate: listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @Test
  void everyAnswerSentBeforeATermHasItsAuditEvent() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), TollgateFixture.POLICY);
    Files.writeString(dir.resolve("t.yaml"), TollgateFixture.keylessConfig(0));
    Process tollgate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.tollgate.proxy.cli.Main", "serve", "--config", "t.yaml")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      int port = port(tollgate);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/projects/shop/v1/traces"))
          .header("content-type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
          .timeout(Duration.ofSeconds(10)).build();
      Queue<String> answered = new ConcurrentLinkedQueue<>();
      AtomicBoolean stopped = new AtomicBoolean();
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        senders.add(CompletableFuture.runAsync(() -> {
          while (!stopped.get()) {
            try {
              HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
              assertThat(r.statusCode()).isEqualTo(401);
              answered.add(r.headers().firstValue("x-request-id").orElseThrow());
            } catch (java.io.IOException e) {
              return; // the server went away
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answered.size() < 2_000) {
        assertThat(System.nanoTime()).as("2,000 answers").isLessThan(deadline);
        Thread.sleep(5);
      }
      tollgate.destroy(); // SIGTERM, with the senders still sending
      assertThat(tollgate.waitFor(40, TimeUnit.SECONDS)).as("tollgate exits").isTrue();
      stopped.set(true);
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      Set<String> audited = new HashSet<>();
      for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
        audited.add(new JsonObject(line).getString("request_id"));
      }
      List<String> missing = answered.stream().filter(id -> !audited.contains(id)).toList();
      assertThat(missing).as("answers sent without an audit event, of " + answered.size()).isEmpty();
    } finally {
      tollgate.destroyForcibly();
    }
  }

  /** The port Tollgate says it listens on; its further output is drained so that it never blocks. */
  private static int port(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Queue<String> said = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          said.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("tollgate exited before it listened: " + said));
    }, "tollgate-output");
    reader.setDaemon(true);
    reader.start();
    return port.get(60, TimeUnit.SECONDS);
  }
}
