package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.AuditConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir
  Path dir;

  private static AuditEvent event(String requestId, List<String> groups) {
    return new AuditEvent(Instant.parse("2026-11-22T04:50:00Z"), requestId, null, "s", null, null, groups,
        "127.0.0.1", "POST", "/v1/traces", "write", "shop", "traces", Map.of(), Map.of(), 0, "allow", null, null,
        null, 200, 200, null, null, null, 1);
  }

  /**
   * An event the writer cannot serialise (a defect: here a null group) is lost alone: the events
   * handed over with it are written, and the log stops taking events, so that no later request is
   * served unaudited.
   */
  @Test
  void anEventTheWriterCannotWriteIsLostAloneAndTheLogFailsClosed() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AuditLog log = AuditLog.open(new AuditConfig(file, 8192));
    try {
      assertThat(log.record(event("r1", List.of("a")))).isTrue();
      assertThat(log.record(event("r2", Arrays.asList("a", null)))).isTrue();
      assertThat(log.record(event("r3", List.of("b")))).isTrue();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (log.written() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(log.written()).isEqualTo(2);
      assertThat(log.lost()).isEqualTo(1);
      assertThat(log.writable()).isFalse();
      assertThat(log.record(event("r4", List.of()))).isFalse();
    } finally {
      log.close();
    }
    assertThat(Files.readAllLines(file)).extracting(l -> new JsonObject(l).getString("request_id"))
        .containsExactly("r1", "r3");
  }
}
