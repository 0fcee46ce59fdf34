package dev.tollgate.auth.upstream;

import dev.tollgate.auth.Await;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token file mounted the way Kubernetes mounts secrets: updates swap a symlink, never write the file. */
class StaticFileCredentialTest {
  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void followsAKubernetesSecretSymlinkSwap() throws Exception {
    // token -> ..data/token, ..data -> ..2026_v1 (the kubelet's layout)
    Files.createDirectory(dir.resolve("..2026_v1"));
    Files.writeString(dir.resolve("..2026_v1/token"), "first-token\n");
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2026_v1").getFileName());
    Files.createSymbolicLink(dir.resolve("token"), Path.of("..data/token"));
    StaticFileCredential c = new StaticFileCredential(vertx,
        new CredentialConfig.StaticFile(dir.resolve("token"), "Authorization", "Bearer", Duration.ofMillis(50)),
        Clock.systemUTC());
    Await.result(c.start());
    assertThat(Await.result(c.present(null)).value()).isEqualTo("Bearer first-token");

    Files.createDirectory(dir.resolve("..2026_v2"));
    Files.writeString(dir.resolve("..2026_v2/token"), "second-token\n");
    Files.createSymbolicLink(dir.resolve("..data_tmp"), dir.resolve("..2026_v2").getFileName());
    Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String seen = null;
    while (System.nanoTime() < deadline && !"Bearer second-token".equals(seen)) {
      seen = Await.result(c.present(null)).value();
      Thread.sleep(20);
    }
    assertThat(seen).isEqualTo("Bearer second-token");
    c.close();
  }
}
