package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's own connections to an upstream, against a backend that answers with raw bytes:
 * keep-alive reuse and its bound, requests waiting for a connection and their deadline, an upstream
 * that closes (and a GET sent once more when it closed under it), the idle sweep, and closing.
 */
class UpstreamConnectionTest extends UpstreamHarness {
  @Test
  void requestsInTurnShareOneConnection() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      UpstreamReply reply = send(up, get("/ok"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().toString()).isEqualTo("ok");
      assertThat(reply.contentType()).isEqualTo("text/plain");
    }
    assertThat(backend.connections).hasValue(1);
  }

  @Test
  void concurrentRequestsWaitForTheirShareOfConnections() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 2, Duration.ofSeconds(5));
    List<CompletableFuture<UpstreamReply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(sendAsync(up, get("/slow")));
    }
    for (CompletableFuture<UpstreamReply> r : replies) {
      assertThat(r.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(backend.requests).hasSize(6);
    assertThat(backend.connections).as("connections opened").hasValue(2);
    assertThat(backend.mostOpen).hasValue(2);
  }

  @Test
  void aConnectionTheUpstreamClosesIsNotUsedAgain() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/close")).status()).isEqualTo(200); // "connection: close", left open
    assertThat(send(up, get("/drop")).status()).isEqualTo(200); // kept alive, then closed while idle
    eventually(() -> backend.open.get() == 0, "both are closed");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(3);
  }

  @Test
  void anIdleConnectionIsClosedInTime() throws Exception {
    idle = Duration.ofMillis(300);
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    long sent = System.nanoTime(); // the connection is idle from after this
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    eventually(() -> backend.open.get() == 0, "Tollgate closes the idle connection");
    assertThat(System.nanoTime() - sent).as("not before it was idle for 300 ms, and soon after")
        .isBetween(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(5));
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void aWaitingRequestIsHandedTheConnectionThatFreesUp() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    CompletableFuture<UpstreamReply> slow = sendAsync(up, get("/slow"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThat(slow.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(1);
  }

  /** The upstream closes a kept-alive connection as the next request arrives on it, answering nothing. */
  @Test
  void aGetOnAConnectionClosedUnderItIsSentOnceMoreOnANewOne() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/then-close")).body().toString()).isEqualTo("ok");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.requests).containsExactly("/then-close", "/ok", "/ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void aPostOnAConnectionClosedUnderItIsNotSentTwice() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/then-close")).body().toString()).isEqualTo("ok");
    UpstreamRequest post = UpstreamRequest.post("/v1/traces", "application/x-protobuf",
        Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII), null, null);
    assertThatThrownBy(() -> send(up, post)).cause().isInstanceOf(UpstreamFailed.class)
        .hasMessage("the upstream closed the connection before it answered");
    assertThat(backend.requests).as("the upstream may have taken it").containsExactly("/then-close", "/v1/traces");
  }

  @Test
  void aRequestWaitingForAConnectionGivesUpAtItsDeadline() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(1000));
    CompletableFuture<UpstreamReply> hanging = sendAsync(up, get("/hang"));
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/hang"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    Thread.sleep(100);
    assertThat(backend.connections).as("the second request waits, opening none").hasValue(1);
    for (CompletableFuture<UpstreamReply> r : List.of(hanging, waiting)) {
      assertThatThrownBy(() -> r.get(10, TimeUnit.SECONDS)).cause()
          .isInstanceOf(UpstreamFailed.class).hasMessage("upstream did not answer within 1000 ms");
    }
  }

  @Test
  void aWaitingRequestGetsANewConnectionWhenTheBusyOneIsClosed() throws Exception {
    // The busy connection is closed at the hanging request's deadline; the waiting one, sent a
    // second later, then has that second (on a loaded machine too) to connect and be answered.
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(2000));
    CompletableFuture<UpstreamReply> hanging = sendAsync(up, get("/hang"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    Thread.sleep(1000);
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThatThrownBy(() -> hanging.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(UpstreamFailed.class);
    // The hanging exchange's connection is closed at its deadline; the waiting request gets a new one.
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.requests).containsExactly("/hang", "/ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void anUpstreamThatCannotBeReachedFailsTheRequest() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Upstream up = upstream("http://127.0.0.1:" + closed + "/", 1, Duration.ofSeconds(5));
    assertThatThrownBy(() -> send(up, get("/ok"))).cause()
        .isInstanceOf(UpstreamFailed.class).hasMessageStartingWith("cannot connect to the upstream");
  }

  @Test
  void aCallerOffTheEventLoopsIsServedToo() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    UpstreamReply reply = up.send(get("/ok")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reply.body().toString()).isEqualTo("ok");
  }

  @Test
  void aClosedUpstreamClosesItsConnectionsAndRefusesRequests() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    send(up, get("/ok"));
    await(up.close());
    eventually(() -> backend.open.get() == 0, "the idle connection is closed");
    assertThatThrownBy(() -> send(up, get("/ok"))).cause()
        .isInstanceOf(UpstreamFailed.class).hasMessage("upstream client closed");
  }
}
