package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A failed key load is logged without the keys' monitor held: event loops take it for every token
 * that names an unknown key, and would otherwise wait for the log line to be written.
 */
class IssuerKeysLogTest {
  @Test
  void aFailedLoadIsLoggedOutsideTheMonitor() throws Exception {
    Vertx vertx = Vertx.vertx();
    IssuerKeys[] keys = new IssuerKeys[1];
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add((Thread.holdsLock(keys[0]) ? "held: " : "free: ") + r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(IssuerKeys.class.getName());
    logger.addHandler(handler);
    try {
      Promise<String> failing = Promise.promise();
      KeyLoader loader = new KeyLoader() {
        private boolean first = true;

        @Override
        public synchronized Future<String> load() {
          // the first fails later, as a fetch over the network does; the retries never end
          Future<String> load = first ? failing.future() : Promise.<String>promise().future();
          first = false;
          return load;
        }

        @Override
        public String describe() {
          return "https://idp.example/jwks";
        }
      };
      keys[0] = new IssuerKeys(vertx, "corp", loader, TestClock.atSystemTime(), Duration.ofMinutes(5),
          Duration.ofSeconds(30));
      Future<KeySnapshot> refetch = keys[0].refetchForUnknownKey();
      failing.fail("connection refused");
      KeySnapshot snapshot = refetch.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(snapshot.loaded()).isFalse();
      assertThat(logged).containsExactly("free: issuer corp: cannot load keys from https://idp.example/jwks:"
          + " connection refused; retrying in PT1S");
    } finally {
      logger.removeHandler(handler);
      keys[0].close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
