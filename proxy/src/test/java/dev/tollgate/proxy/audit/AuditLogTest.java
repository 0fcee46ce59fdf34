package dev.tollgate.proxy.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.config.AuditConfig;
import dev.tollgate.proxy.LogCapture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
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
   * served unaudited. The first write is held until r2 and r3 are queued, so that they form the
   * next batch together whatever the writer's timing.
   */
  @Test
  void anEventTheWriterCannotWriteIsLostAloneAndTheLogFailsClosed() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    DiskChannel disk = new DiskChannel((call, offered) -> {
      if (call == 1) {
        writing.countDown();
        awaitLatch(queued);
      }
      return offered;
    });
    AuditLog log = new AuditLog(disk, false, 8192);
    try {
      assertThat(log.record(event("r1", List.of("a")))).isTrue();
      assertThat(writing.await(5, TimeUnit.SECONDS)).as("r1 being written").isTrue();
      assertThat(log.record(event("r2", Arrays.asList("a", null)))).isTrue();
      assertThat(log.record(event("r3", List.of("b")))).isTrue();
      queued.countDown();
      awaitTrue("r1 and r3 written", () -> log.written() >= 2);
      assertThat(log.written()).isEqualTo(2);
      assertThat(log.lost()).isEqualTo(1);
      assertThat(log.writable()).isFalse();
      assertThat(log.record(event("r4", List.of()))).isFalse();
    } finally {
      log.close();
    }
    assertThat(new String(disk.bytes(), UTF_8).split("\n"))
        .extracting(l -> new JsonObject(l).getString("request_id")).containsExactly("r1", "r3");
  }

  private static void awaitLatch(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the write");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * A file that cannot be written (here /dev/full: every write fails with ENOSPC) makes the log
   * refuse requests. The event it could not write is held and, when the log closes with the file
   * still failing, counted as lost with the one it refused.
   */
  @Test
  void aFileThatFailsRefusesRequestsAndCountsWhatItCouldNotWrite() throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full");
    AuditLog log = AuditLog.open(new AuditConfig(full, 8192));
    try {
      assertThat(log.record(event("r1", List.of()))).isTrue();
      awaitTrue("the log refuses requests", () -> !log.writable());
      assertThat(log.record(event("r2", List.of()))).isFalse();
      assertThat(log.held()).isEqualTo(1);
    } finally {
      log.close();
    }
    assertThat(log.written()).isZero();
    assertThat(log.lost()).isEqualTo(2);
  }

  /**
   * A disk that fills up takes part of a line, then refuses the rest; when space is freed, the
   * held line is finished where it stopped and the log takes requests again. Every event of a
   * request that was served is in the file once and whole; only the one refused meanwhile is lost.
   */
  @Test
  void aFileThatFailsAndRecoversLosesNothingItHeldAndWritesNoLineTwice() throws Exception {
    AtomicBoolean diskFull = new AtomicBoolean(true);
    // while full, the first write takes 100 bytes and the later ones fail
    DiskChannel disk = new DiskChannel((call, offered) -> {
      if (!diskFull.get()) {
        return offered;
      }
      if (call == 1) {
        return 100;
      }
      throw new IOException("No space left on device");
    });
    AuditLog log = new AuditLog(disk, false, 1024);
    try {
      assertThat(log.record(event("r1", List.of("a")))).isTrue();
      awaitTrue("the log refuses requests", () -> !log.writable());
      assertThat(log.record(event("r2", List.of("b")))).isFalse();
      assertThat(log.held()).isEqualTo(1);
      assertThat(log.written()).isZero();

      diskFull.set(false);
      awaitTrue("the log takes requests again", log::writable);
      assertThat(log.written()).isEqualTo(1);
      assertThat(log.record(event("r3", List.of("c")))).isTrue();
      awaitTrue("r3 written", () -> log.written() == 2);
    } finally {
      log.close();
    }
    String text = new String(disk.bytes(), UTF_8);
    assertThat(text).endsWith("\n");
    assertThat(text.split("\n")).extracting(l -> new JsonObject(l).getString("request_id"))
        .containsExactly("r1", "r3");
    assertThat(log.lost()).isEqualTo(1);
  }

  /**
   * A destination that fails in a way no file does (an unchecked exception) refuses requests like a
   * failing file, and what it held is counted as lost when the log closes, not thrown at close.
   */
  @Test
  void aChannelThatThrowsUncheckedFailsClosedAndCountsWhatItHeld() throws Exception {
    AuditLog log = new AuditLog(new DiskChannel((call, offered) -> {
      throw new IllegalStateException("broken channel");
    }), false, 1024);
    try {
      assertThat(log.record(event("r1", List.of()))).isTrue();
      awaitTrue("the log refuses requests", () -> !log.writable());
      assertThat(log.held()).isEqualTo(1);
    } finally {
      log.close();
    }
    assertThat(log.written()).isZero();
    assertThat(log.lost()).isEqualTo(1);
  }

  /**
   * A full queue refuses every event, each on a request's event loop: it is logged at most once a
   * second, not once per request, so that the log does not add to the load that filled the queue.
   */
  @Test
  void aFullQueueIsLoggedOnceASecondNotOncePerRefusedEvent() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AuditLog auditLog = new AuditLog(new DiskChannel((call, offered) -> {
      writing.countDown();
      awaitLatch(release);
      return offered;
    }), false, 1);
    try (LogCapture captured = new LogCapture(AuditLog.class.getName())) {
      assertThat(auditLog.record(event("held-in-write", List.of()))).isTrue();
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(auditLog.record(event("fills-the-queue", List.of()))).isTrue();
      for (int i = 0; i < 200; i++) {
        assertThat(auditLog.record(event("refused-" + i, List.of()))).isFalse();
      }
      assertThat(captured.records).hasSize(1);
      assertThat(captured.records.get(0).getMessage()).isEqualTo("audit queue full: refusing requests until it drains"
          + " (1 events not recorded so far)");
    } finally {
      release.countDown();
      auditLog.close();
    }
    assertThat(auditLog.lost()).isEqualTo(200);
    assertThat(auditLog.written()).isEqualTo(2);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
