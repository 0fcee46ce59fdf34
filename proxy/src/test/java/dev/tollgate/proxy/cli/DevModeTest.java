package dev.tollgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.proxy.audit.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The newcomer's first minute: the guide's own commands, pasted into a shell, show accept, partial, deny. */
class DevModeTest {
  @Test
  void guideCommandsShowAcceptPartialSuccessAndDeny() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("TOLLGATE_PORT", String.valueOf(freePort()),
        "TOLLGATE_RECORDER_PORT", String.valueOf(freePort()));
    DevMode.Session session = DevMode.start(new EnvSubstitution(env::get), out, System.err);
    assertThat(session).as("dev mode started").isNotNull();
    List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    session.tollgate().audit().addListener(audit::add);
    try {
      List<String> commands = buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("curl ")).toList();
      assertThat(commands).hasSize(3);
      assertThat(shell(commands.get(0))).endsWith("HTTP 200").doesNotContain("partialSuccess");
      assertThat(shell(commands.get(1))).contains("partialSuccess").contains("payments").endsWith("HTTP 200");
      assertThat(shell(commands.get(2))).contains("rogue-job").endsWith("HTTP 403");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (audit.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(audit).extracting(AuditEvent::decision).containsExactly("allow", "partial", "deny");
      assertThat(buf.toString(StandardCharsets.UTF_8))
          .contains("recorder: accepted traces for tenant shop from services [checkout]");
    } finally {
      session.close();
    }
  }

  /**
   * The shutdown hook's close waits for the audit log: the JVM halts once the hook returns, and the
   * writer, a daemon thread, with it.
   */
  @Test
  void theShutdownHooksCloseReturnsOnceTheAuditLogIsClosed() throws Exception {
    Map<String, String> env = Map.of("TOLLGATE_PORT", String.valueOf(freePort()),
        "TOLLGATE_RECORDER_PORT", String.valueOf(freePort()));
    DevMode.Session session = DevMode.start(new EnvSubstitution(env::get),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
    assertThat(session).as("dev mode started").isNotNull();
    assertThat(session.tollgate().audit().writable()).isTrue();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main.closeAndWait(session.tollgate(), session.vertx(), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(session.tollgate().audit().writable()).as("the audit log is closed").isFalse();
    assertThat(((io.vertx.core.internal.VertxInternal) session.vertx()).closeFuture().isClosed()).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static String shell(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
