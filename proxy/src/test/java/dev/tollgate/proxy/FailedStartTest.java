package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails (here: its port is taken) has closed what it opened by the time it says so,
 * the audit log first: the command line closes Vert.x next, which would refuse the worker the
 * log's close runs on.
 */
class FailedStartTest {
  @TempDir Path dir;

  @Test
  void aFailedStartHasClosedItsAuditLogWhenItFails() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), TollgateFixture.POLICY);
    Vertx vertx = Tollgate.newVertx(new VertxOptions());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Files.writeString(dir.resolve("t.yaml"), TollgateFixture.keylessConfig(taken.getLocalPort()));
      TollgateConfig config = TollgateConfig.load(dir.resolve("t.yaml"), false, EnvSubstitution.fromSystem());
      long writersBefore = auditWriters();
      assertThatThrownBy(() -> Tollgate.start(vertx, config, Clock.systemUTC(), null).toCompletionStage()
          .toCompletableFuture().get(30, TimeUnit.SECONDS)).hasMessageContaining("Address already in use");
      assertThat(auditWriters()).as("audit writers running once the start has failed").isEqualTo(writersBefore);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static long auditWriters() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("tollgate-audit-writer")).count();
  }
}
