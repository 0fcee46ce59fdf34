package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.ServerConfig;
import io.netty.channel.SelectStrategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleSpinTransportTest {
  private static final long SPIN = TimeUnit.MILLISECONDS.toNanos(2);

  @Test
  void withTasksQueuedItPollsOnceAndReturns() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    int strategy = new IdleSpinTransport.SpinThenSelect(SPIN).calculateStrategy(() -> {
      polls.incrementAndGet();
      return 0;
    }, true);
    assertThat(strategy).isZero();
    assertThat(polls).hasValue(1);
  }

  @Test
  void returnsTheReadySocketsAsSoonAsAPollFindsThem() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    int strategy = new IdleSpinTransport.SpinThenSelect(TimeUnit.SECONDS.toNanos(10)).calculateStrategy(
        () -> polls.incrementAndGet() == 3 ? 2 : 0, false);
    assertThat(strategy).isEqualTo(2);
    assertThat(polls).hasValue(3);
  }

  @Test
  void sleepsInSelectWhenNothingArrivesWithinTheSpin() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    long start = System.nanoTime();
    int strategy = new IdleSpinTransport.SpinThenSelect(SPIN).calculateStrategy(() -> {
      polls.incrementAndGet();
      return 0;
    }, false);
    assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SPIN);
    assertThat(polls.get()).isGreaterThan(1);
  }

  @Test
  void onlyAPositiveSpinMakesATransport() {
    assertThatThrownBy(() -> IdleSpinTransport.nio(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tollgatesVertxUsesTheSpinningTransportOnlyWhenConfigured() {
    Vertx plain = Tollgate.newVertx(server(Duration.ZERO));
    Vertx spinning = Tollgate.newVertx(server(Duration.ofNanos(50_000)));
    try {
      assertThat(((VertxInternal) plain).transport()).isNotInstanceOf(IdleSpinTransport.Implementation.class);
      assertThat(((VertxInternal) spinning).transport()).isInstanceOf(IdleSpinTransport.Implementation.class);
    } finally {
      plain.close();
      spinning.close();
    }
  }

  /**
   * The spinning loop still does everything an event loop does: serves and sends HTTP (sockets
   * ready while it spins, and after it slept), runs timers that fall due while it sleeps, and runs
   * tasks other threads hand it.
   */
  @Test
  void anEventLoopThatSpinsStillServesRequestsTimersAndTasks() throws Exception {
    Vertx vertx = Tollgate.newVertx(server(Duration.ofNanos(SPIN)));
    try {
      HttpServer server = await(vertx.createHttpServer()
          .requestHandler(req -> req.body().onSuccess(b -> req.response().end("got " + b.length())))
          .listen(0, "127.0.0.1"));
      HttpClientAgent client = vertx.createHttpClient();
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        if (i % 10 == 0) {
          Thread.sleep(20); // let the loop run out of spin and sleep in select
        }
        String body = "x".repeat(i);
        answers.add(await(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
            .compose(r -> r.send(body))
            .compose(HttpClientResponse::body)).toString());
      }
      assertThat(answers).hasSize(50).element(49).isEqualTo("got 49");

      CompletableFuture<Long> timer = new CompletableFuture<>();
      long armed = System.nanoTime();
      vertx.setTimer(100, id -> timer.complete(System.nanoTime() - armed));
      assertThat(timer.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

      CompletableFuture<String> task = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> task.complete(Thread.currentThread().getName()));
      assertThat(task.get(10, TimeUnit.SECONDS)).startsWith("vert.x-eventloop");
    } finally {
      await(vertx.close());
    }
  }

  private static ServerConfig server(Duration spin) {
    return new ServerConfig("127.0.0.1", 0, 1 << 20, 1 << 20, 1, spin, null);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
