package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What stays in the page cache, read with mincore ({@link MappedByteBuffer#isLoaded()} on each
 * page of a fresh read-only mapping, which faults nothing in). The files live under the build
 * directory. The tests that read the cache run where its pages can be dropped: Linux, on a local
 * disk file system; on a tmpfs the page cache is the file, an overlay keeps the pages of the file
 * beneath it, and ZFS has a cache of its own.
 */
@EnabledOnOs(OS.LINUX)
class WrittenPagesTest {
  private static final int MB = 1 << 20;
  private static final int PAGE = 4096;
  private static final Set<String> DISK_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs");
  private Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "written-pages");
  }

  /** Skips a test that reads the cache where dropping is not the file system's to do. */
  private void onADisk() throws IOException {
    String type = Files.getFileStore(dir).type();
    assumeTrue(DISK_FILE_SYSTEMS.contains(type), "the build directory is on " + type + ", not a local disk file system");
  }

  @AfterEach
  void removeDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** How many of the pages of {@code file} in {@code [offset, offset + len)} are in the page cache. */
  private static int cached(Path file, long offset, int len) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, offset, len);
      int n = 0;
      for (int at = 0; at < len; at += PAGE) {
        if (map.slice(at, Math.min(PAGE, len - at)).isLoaded()) {
          n++;
        }
      }
      return n;
    }
  }

  private static FileChannel append(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Writes {@code bytes} in 64 KB hand-overs, advising after each as the audit writer does. */
  private static long write(FileChannel ch, WrittenPages pages, long handed, int bytes) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < bytes / chunk.length; i++) {
      ch.write(ByteBuffer.wrap(chunk));
      handed += chunk.length;
      pages.advance(handed);
    }
    return handed;
  }

  @Test
  void pagesSentToDiskAStepAgoLeaveThePageCacheAndTheLastStepStays() throws IOException {
    onADisk();
    Path file = dir.resolve("audit.jsonl");
    try (FileChannel ch = append(file); WrittenPages pages = WrittenPages.of(file, ch, MB)) {
      assertThat(pages.active()).isTrue();
      write(ch, pages, 0, 4 * MB);
      // rounds at 1, 2, 3 and 4 MB: the last dropped [2, 3) and sent [3, 4) to disk
      assertThat(cached(file, 0, 3 * MB)).as("pages dropped").isZero();
      assertThat(cached(file, 3 * MB, MB)).as("the last step, still cached").isEqualTo(MB / PAGE);
      assertThat(Files.size(file)).isEqualTo(4L * MB);
    }
  }

  /** A copy-and-truncate rotation empties the file under the writer: advice starts again from its start. */
  @Test
  void aFileTruncatedUnderTheWriterIsAdvisedFromItsNewStart() throws IOException {
    onADisk();
    Path file = dir.resolve("audit.jsonl");
    try (FileChannel ch = append(file); WrittenPages pages = WrittenPages.of(file, ch, MB)) {
      long handed = write(ch, pages, 0, 3 * MB);
      try (FileChannel rotate = FileChannel.open(file, StandardOpenOption.WRITE)) {
        rotate.truncate(0);
      }
      write(ch, pages, handed, 4 * MB);
      assertThat(pages.active()).isTrue();
      assertThat(Files.size(file)).isEqualTo(4L * MB);
      assertThat(cached(file, 0, 2 * MB)).as("the new content's first steps, dropped").isZero();
      assertThat(cached(file, 3 * MB, MB)).as("its last step, still cached").isEqualTo(MB / PAGE);
    }
  }

  @Test
  void whatIsNotARegularFileGetsNoAdvice() throws IOException {
    try (FileChannel ch = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
      assertThat(WrittenPages.of(Path.of("/dev/null"), ch).active()).isFalse();
    }
  }

  /** On a tmpfs the pages are the file: nothing to drop, so no advice (and a warning). */
  @Test
  void aFileOnATmpfsGetsNoAdvice() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()), "no tmpfs at /dev/shm");
    Path file = Files.createTempFile(shm, "written-pages", ".jsonl");
    try (FileChannel ch = append(file)) {
      assertThat(WrittenPages.of(file, ch, MB).active()).isFalse();
      // the same calls on the build directory's disk are given: the tmpfs is the reason
      Path onDisk = dir.resolve("audit.jsonl");
      try (FileChannel disk = append(onDisk); WrittenPages pages = WrittenPages.of(onDisk, disk, MB)) {
        onADisk();
        assertThat(pages.active()).isTrue();
      }
    } finally {
      Files.delete(file);
    }
  }

  /** The audit log advises as it writes: its lines are all there, and its early pages left the cache. */
  @Test
  void theAuditLogDropsWhatItWroteStepsAgo() throws Exception {
    onADisk();
    Path file = dir.resolve("audit.jsonl");
    FileChannel ch = append(file);
    int events = 10_000; // ~560 bytes each: over 5 MB
    AuditLog log = record(new AuditLog(ch, true, 16_384, WrittenPages.of(file, ch, MB)), events);
    assertThat(log.written()).isEqualTo(events);
    assertThat(Files.size(file)).isGreaterThan(5L * MB);
    assertThat(cached(file, 0, 2 * MB)).as("the first two steps, dropped").isZero(); // before reading them back
    assertThat(Files.readAllLines(file)).hasSize(events);
  }

  /** Records {@code events} ingest events, letting the writer catch up every 2,000, and closes the log. */
  private static AuditLog record(AuditLog log, int events) throws InterruptedException {
    try {
      for (int i = 0; i < events; i++) {
        assertThat(log.record(new AuditEvent(Instant.parse("2026-11-22T04:50:00Z"), "r" + i, null, "shop-collector",
            "shop-collector", "https://idp.example/", List.of("shop-writers"), "127.0.0.1", "POST",
            "/projects/shop/v1/traces", "write", "shop", "traces", Map.of("checkout", 1), Map.of(), 0, "allow",
            "shop-writer/0", "roles shop-writer grant write", "sha256:0123", 200, 200, "static-file", null, null,
            1.25))).isTrue();
        if (i % 2_000 == 1_999) {
          long target = i + 1;
          for (int wait = 0; log.written() < target && wait < 500; wait++) {
            Thread.sleep(10);
          }
        }
      }
    } finally {
      log.close();
    }
    return log;
  }

  /**
   * The C library, but for {@code sync_file_range} failing, or {@code posix_fadvise} missing, past
   * the no-op calls that find them.
   */
  private static WrittenPages.LibC failing(WrittenPages.LibC real, boolean syncFails, boolean adviceThrows) {
    return new WrittenPages.LibC() {
      @Override
      public int open(String path, int flags) {
        return real.open(path, flags);
      }

      @Override
      public int close(int fd) {
        return real.close(fd);
      }

      @Override
      public int posix_fadvise(int fd, long offset, long len, int advice) {
        if (adviceThrows && advice != 0) {
          throw new UnsatisfiedLinkError("posix_fadvise: no such symbol");
        }
        return real.posix_fadvise(fd, offset, len, advice);
      }

      @Override
      public int sync_file_range(int fd, long offset, long nbytes, int flags) {
        return syncFails && flags != 0 ? -1 : real.sync_file_range(fd, offset, nbytes, flags);
      }
    };
  }

  /**
   * Advice is advice: a call that fails (here at the first round), or a function the library turns
   * out not to have (at the first drop), stops it, and the audit log writes every line all the same.
   */
  @Test
  void aCallThatFailsStopsTheAdviceAndTheLogWritesOn() throws Exception {
    Path probe = dir.resolve("probe");
    try (FileChannel ch = append(probe); WrittenPages real = WrittenPages.of(probe, ch, MB)) {
      assumeTrue(real.active(), "no C library calls on this platform");
    }
    for (boolean syncFails : new boolean[] {true, false}) {
      Path file = dir.resolve("audit-" + syncFails + ".jsonl");
      FileChannel ch = append(file);
      WrittenPages pages = WrittenPages.with(failing(WrittenPages.Loaded.LIBC, syncFails, !syncFails), file, ch, MB);
      assertThat(pages.active()).isTrue();
      AuditLog log = record(new AuditLog(ch, true, 16_384, pages), 8_000); // ~4.5 MB
      assertThat(pages.active()).as("stopped").isFalse();
      assertThat(log.written()).isEqualTo(8_000);
      assertThat(Files.readAllLines(file)).hasSize(8_000);
    }
  }
}
