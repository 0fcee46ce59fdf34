package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.ServerConfig;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
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
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class IdleSpinTransportTest {
  private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(30);

  @Test
  void withWorkWaitingItRunsTheHandlerOnceAsUsual() {
    Loop loop = new Loop(false);
    Nio nio = new Nio(() -> 0);
    new IdleSpinTransport.SpinningIoHandler(nio, LONG_SPIN).run(loop);
    assertThat(nio.runsAsIs).isEqualTo(1);
    assertThat(nio.polls).isZero();
  }

  @Test
  void pollsWithoutBlockingUntilSomethingIsHandled() {
    Nio nio = new Nio(new IntSupplier() {
      int n;

      @Override
      public int getAsInt() {
        return ++n == 3 ? 2 : 0;
      }
    });
    int handled = new IdleSpinTransport.SpinningIoHandler(nio, LONG_SPIN).run(new Loop(true));
    assertThat(handled).isEqualTo(2);
    assertThat(nio.polls).isEqualTo(3);
    assertThat(nio.runsAsIs).isZero();
  }

  @Test
  void stopsPollingAsSoonAsATaskIsWaiting() {
    Loop loop = new Loop(true);
    Nio nio = new Nio(() -> 0);
    nio.afterPoll = n -> {
      if (n == 5) {
        loop.canBlock = false; // another thread handed the loop a task
      }
    };
    new IdleSpinTransport.SpinningIoHandler(nio, LONG_SPIN).run(loop);
    assertThat(nio.polls).isEqualTo(5);
    assertThat(nio.runsAsIs).isZero();
  }

  @Test
  void sleepsAsUsualWhenTheSpinEndsWithNothingToDo() {
    Nio nio = new Nio(() -> 0);
    long spin = TimeUnit.MILLISECONDS.toNanos(1);
    long start = System.nanoTime();
    new IdleSpinTransport.SpinningIoHandler(nio, spin).run(new Loop(true));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(spin);
    assertThat(nio.polls).isPositive();
    assertThat(nio.runsAsIs).isEqualTo(1);
  }

  @Test
  void onlyAPositiveSpinMakesATransport() {
    assertThatThrownBy(() -> IdleSpinTransport.nio(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Without a spin Tollgate runs on Netty's native epoll on Linux, whose library the jar carries
   * for x86-64 and arm64 (a lost dependency fails here, not as a silent fall back to NIO); with a
   * spin it runs the spinning NIO loops.
   */
  @Test
  void tollgatesVertxIsEpollOnLinuxAndSpinningNioWhenConfigured() throws Exception {
    Vertx plain = Tollgate.newVertx(server(Duration.ZERO));
    Vertx spinning = Tollgate.newVertx(server(Duration.ofNanos(50_000)));
    try {
      boolean linux = System.getProperty("os.name").equals("Linux")
          && List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));
      assertThat(plain.isNativeTransportEnabled()).as("native epoll on Linux").isEqualTo(linux);
      assertThat(((VertxInternal) plain).transport()).isNotInstanceOf(IdleSpinTransport.Implementation.class);
      assertThat(((VertxInternal) spinning).transport()).isInstanceOf(IdleSpinTransport.Implementation.class);
      assertThat(spinning.isNativeTransportEnabled()).isFalse();
    } finally {
      await(plain.close());
      await(spinning.close());
    }
  }

  /**
   * The spinning loop still does everything an event loop does: serves and sends HTTP (sockets
   * ready while it spins, and after it slept), runs timers that fall due while it sleeps, and runs
   * tasks other threads hand it.
   */
  @Test
  void anEventLoopThatSpinsStillServesRequestsTimersAndTasks() throws Exception {
    Vertx vertx = Tollgate.newVertx(server(Duration.ofMillis(1)));
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

  /** A loop spinning for a minute still runs a task handed to it at once, not when the spin ends. */
  @Test
  void aTaskHandedOverMidSpinDoesNotWaitForTheSpin() throws Exception {
    Vertx vertx = Tollgate.newVertx(server(Duration.ofMinutes(1)));
    try {
      var context = vertx.getOrCreateContext();
      for (int i = 0; i < 3; i++) {
        Thread.sleep(50); // the loop ran its last task and is spinning now
        CompletableFuture<Long> ran = new CompletableFuture<>();
        long handed = System.nanoTime();
        context.runOnContext(v -> ran.complete(System.nanoTime() - handed));
        assertThat(ran.get(30, TimeUnit.SECONDS)).isLessThan(TimeUnit.SECONDS.toNanos(10));
      }
    } finally {
      await(vertx.close());
    }
  }

  private static ServerConfig server(Duration spin) {
    return new ServerConfig("127.0.0.1", 0, 1 << 20, 1 << 20, 1, spin, null);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The event loop's side: whether it could block now. */
  private static final class Loop implements IoHandlerContext {
    volatile boolean canBlock;

    Loop(boolean canBlock) {
      this.canBlock = canBlock;
    }

    @Override
    public boolean canBlock() {
      return canBlock;
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return Long.MAX_VALUE;
    }

    @Override
    public long deadlineNanos() {
      return -1;
    }
  }

  /**
   * NIO's handler as the spinner sees it: runs with a context that may not block are polls, and
   * answer from a script; runs with the loop's own context are counted apart.
   */
  private static final class Nio implements IoHandler {
    private final IntSupplier ready;
    java.util.function.IntConsumer afterPoll = n -> { };
    int polls;
    int runsAsIs;

    Nio(IntSupplier ready) {
      this.ready = ready;
    }

    @Override
    public int run(IoHandlerContext context) {
      if (context instanceof Loop) {
        runsAsIs++;
        return 0;
      }
      assertThat(context.canBlock()).isFalse();
      polls++;
      int handled = ready.getAsInt();
      afterPoll.accept(polls);
      return handled;
    }

    @Override
    public IoRegistration register(IoHandle handle) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void wakeup() {
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return true;
    }
  }
}
