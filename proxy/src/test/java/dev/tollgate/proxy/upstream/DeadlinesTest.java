package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One timer for a loop's calls: each fails when its own time is up, and only then. */
class DeadlinesTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final ConnectionPool.Deadlines deadlines = new ConnectionPool.Deadlines(loop);
  private final List<String> failed = new ArrayList<>();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void callsFailAtTheirOwnDeadlinesInOrderAndAnEndedOneNever() throws Exception {
    long start = System.nanoTime();
    UpstreamCall a = on(() -> started("a", 600));
    Thread.sleep(50);
    UpstreamCall b = on(() -> started("b", 600));
    Thread.sleep(50);
    UpstreamCall c = on(() -> started("c", 600));
    on(() -> {
      deadlines.remove(b); // answered in time
      return null;
    });
    Thread.sleep(200);
    assertThat(on(() -> List.copyOf(failed))).as("no time is up yet").isEmpty();
    waitFor(() -> failed.size() == 2);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(on(() -> List.copyOf(failed))).containsExactly("a", "c");
    assertThat(took).as("c's time was up 700 ms after a started").isGreaterThanOrEqualTo(700);
    assertThat(on(deadlines::size)).isZero();
    assertThat(on(deadlines::armed)).as("no timer once no call waits").isFalse();
    assertThat(a.isOver() && c.isOver()).isTrue();
    assertThat(b.isOver()).isFalse();
  }

  @Test
  void callsEndedInTimeLeaveNothingBehind() throws Exception {
    on(() -> {
      for (int i = 0; i < 10_000; i++) {
        UpstreamCall call = started("x" + i, 60_000);
        UpstreamCall other = i % 3 == 0 ? started("y" + i, 60_000) : null;
        deadlines.remove(call);
        deadlines.remove(call); // twice is harmless
        if (other != null) {
          deadlines.remove(other);
        }
      }
      return null;
    });
    assertThat(on(deadlines::size)).isZero();
    assertThat(on(() -> List.copyOf(failed))).isEmpty();
  }

  @Test
  void theTimerIsSetAgainForTheFirstCallLeft() throws Exception {
    // the timer is set for the first call; that one is answered, and the next is due later
    UpstreamCall first = on(() -> started("first", 100));
    UpstreamCall next = on(() -> {
      UpstreamCall n = started("next", 250);
      deadlines.remove(first);
      return n;
    });
    assertThat(on(deadlines::armed)).isTrue();
    waitFor(() -> failed.contains("next"));
    assertThat(on(() -> List.copyOf(failed))).containsExactly("next");
    assertThat(first.isOver()).isFalse();
    assertThat(next.isOver()).isTrue();
  }

  /** A call started while the timer fires (by a failed call's handler) does not put off the calls before it. */
  @Test
  void aCallStartedAsAnotherTimesOutDoesNotDelayTheRest() throws Exception {
    // when a fails, its handler starts a call due much later
    onFailureOfA = () -> started("late", 60_000);
    on(() -> started("a", 100));
    on(() -> started("b", 300));
    waitFor(() -> failed.contains("b"));
    assertThat(on(() -> List.copyOf(failed))).containsExactly("a", "b");
    assertThat(on(deadlines::size)).as("only the late call waits").isEqualTo(1);
  }

  private volatile Runnable onFailureOfA;

  private UpstreamCall started(String name, long timeoutMillis) {
    Promise<UpstreamReply> result = Promise.promise();
    result.future().onFailure(e -> {
      failed.add(name);
      if (name.equals("a") && onFailureOfA != null) {
        onFailureOfA.run();
      }
    });
    UpstreamCall call = new UpstreamCall(new RequestHead("GET", "/"), null, true, 1024, timeoutMillis, result);
    call.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    deadlines.add(call);
    return call;
  }

  private <T> T on(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private void waitFor(Callable<Boolean> condition) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!on(condition) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(on(condition)).isTrue();
  }
}
