package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How Tollgate reads an upstream's answer, including the ways real backends misbehave: bytes
 * nobody asked for, framing in doubt, 1xx and 304, malformed, cut short, too large, too late.
 */
class UpstreamAnswerTest extends UpstreamHarness {
  @Test
  void bytesNobodyAskedForCloseTheConnection() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/extra")).body().toString()).isEqualTo("ok");
    // The second answer that followed is never taken for the next request's.
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }

  /** The bytes after an answer, in the same read, while another request waits for the connection. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"/extra-later", "/longer-later"})
  void bytesAfterAnAnswerAreNeverTheNextRequestsAnswer(String target) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    CompletableFuture<UpstreamReply> first = sendAsync(up, get(target));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThat(first.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).as("the connection that read too much is not used again").hasValue(2);
  }

  @Test
  void anAnswerWithBothALengthAndChunksIsReadAsChunksAndItsConnectionClosed() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/both")).body().toString()).isEqualTo("ok");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).as("RFC 9112 6.3: closed after such an answer").hasValue(2);
  }

  @Test
  void aLongHeaderValueWithATabIsRead() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/long-header")).body().toString()).isEqualTo("ok");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(1);
  }

  @Test
  void aNotModifiedAnswerHasNoBodyWhateverLengthItRepeats() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    UpstreamReply reply = send(up, UpstreamRequest.get("/not-modified", null, null, 100));
    assertThat(reply.status()).isEqualTo(304);
    assertThat(reply.body().length()).isZero();
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(1);
  }

  @Test
  void informationalAnswersAreSkippedAndTheAnswersFactsKept() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/continue")).body().toString()).isEqualTo("ok");
    UpstreamReply busy = send(up, get("/busy"));
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.retryAfter()).isEqualTo("7");
    assertThat(busy.body().length()).isZero();
    assertThat(send(up, get("/chunked")).body().toString()).isEqualTo("x".repeat(80) + "y".repeat(80));
    assertThat(backend.connections).hasValue(1);
  }

  /** Each broken answer fails its request, closes its connection, and the next request is served. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/hang       | UpstreamFailed   | upstream did not answer within 1000 ms",
      "/garbage    | UpstreamFailed   | the upstream's answer is not HTTP/1.1",
      "/control-header | UpstreamFailed | the upstream's answer is not HTTP/1.1",
      "/short      | UpstreamFailed   | the upstream closed the connection before it answered",
      "/closed     | UpstreamFailed   | the upstream closed the connection before it answered",
      "/big        | ResponseTooLarge | upstream response larger than 100 bytes",
      "/bigchunked | ResponseTooLarge | upstream response larger than 100 bytes",
  })
  void aBrokenAnswerFailsOnlyItsRequest(String target, String failure, String reason) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(1000));
    UpstreamRequest r = UpstreamRequest.get(target, null, null, 100);
    assertThatThrownBy(() -> send(up, r)).cause().satisfies(e -> {
      assertThat(e.getClass().getSimpleName()).isEqualTo(failure);
      assertThat(e.getMessage()).startsWith(reason);
    });
    eventually(() -> backend.open.get() == 0, "the failed connection is closed");
    assertThat(send(up, UpstreamRequest.get("/ok", null, null, 100)).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }
}
