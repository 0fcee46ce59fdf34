package dev.tollgate.proxy;

import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Starts the real Tollgate the test fixtures run, and waits until it is ready. */
public final class StartedTollgate {
  private StartedTollgate() {}

  /**
   * Tollgate started on {@code vertx} from {@code dir/tollgate.yaml}, once {@code /readyz} would say
   * ready (its issuers' keys loaded, its credentials held): at most 30 s to start, 20 s to be ready.
   */
  public static Tollgate start(Vertx vertx, Path dir, Clock clock) throws Exception {
    TollgateConfig config = TollgateConfig.load(dir.resolve("tollgate.yaml"), false, EnvSubstitution.fromSystem());
    Tollgate tollgate = Tollgate.start(vertx, config, clock, null)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!tollgate.notReady().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!tollgate.notReady().isEmpty()) {
      throw new AssertionError("tollgate not ready: " + tollgate.notReady());
    }
    return tollgate;
  }
}
