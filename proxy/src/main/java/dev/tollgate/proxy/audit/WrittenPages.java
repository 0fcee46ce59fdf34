package dev.tollgate.proxy.audit;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Drops the audit file's pages from the page cache once they are on disk.
 *
 * <p>Why: an audit log is written once and read, if at all, by a log shipper right behind it. Left
 * alone, every page it writes stays cached until memory runs short: gigabytes a day, counted
 * against a container's memory, that the kernel has to reclaim later. On a virtual machine that
 * hands free memory back to its host, each new page is also one the host must back first: 10.5 to
 * 11.3 µs of CPU per 4 KB page on the benchmark machine, against 0.84 to 0.88 µs for a page still
 * backed, about 1.5 µs per audit line (bench/results/20261122T154600Z-page-cache-backing/). With
 * the written pages dropped, the next ones come from the pages just freed.
 *
 * <p>How: every {@code step} bytes handed to the file, the writeback of what was handed since the
 * step before is started ({@code sync_file_range}), and what was started a step earlier, on disk
 * by then, is waited for and dropped ({@code posix_fadvise DONTNEED}). One to two steps of the file
 * stay cached. The wait holds the writer only when the disk has not written a step in the time
 * the next step took to come, a disk slower than the audit trail, which a full dirty-page budget
 * would make the writer's own writes wait for anyway. Both calls are advice, made on a read-only
 * descriptor of the same file: where the platform lacks them (anything but Linux on x86-64 or
 * arm64) the file is written as before; where one fails, this stops with one warning, or an error
 * when the disk reported one. On a file system whose pages cannot be dropped (tmpfs, ZFS) none is
 * given, with a warning. Used by the audit writer thread only.
 */
final class WrittenPages implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WrittenPages.class.getName());
  /** How much is handed to the file between two rounds of advice. */
  static final long STEP = 64L << 20;
  /**
   * File systems where the calls drop nothing: tmpfs's pages are the file, ZFS caches in its own
   * ARC. (On an overlay the early writeback may not reach the file beneath, so only pages the
   * kernel wrote back by itself are dropped: less, not nothing.)
   */
  private static final Set<String> KEEPS_ITS_PAGES = Set.of("tmpfs", "zfs");
  /** Advice that never runs: standard output, a pipe, a platform without the calls. */
  static final WrittenPages NONE = new WrittenPages(null, null, -1, Long.MAX_VALUE);

  // Linux's values on x86-64 and arm64, the platforms supported() lets through
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int POSIX_FADV_NORMAL = 0;
  private static final int POSIX_FADV_DONTNEED = 4;
  private static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
  private static final int SYNC_FILE_RANGE_WRITE = 2;
  private static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;
  private static final int EIO = 5;
  private static final int ENOSPC = 28;
  /** A multiple of every page size those platforms use (4, 16 or 64 KB). */
  private static final long PAGE_ALIGN = 64 * 1024;

  /** The C library's calls used here; {@code posix_fadvise} returns its error, the others -1 and errno. */
  interface LibC extends Library {
    int open(String path, int flags);

    int close(int fd);

    int posix_fadvise(int fd, long offset, long len, int advice);

    int sync_file_range(int fd, long offset, long nbytes, int flags);
  }

  /** Loaded at first use; a failure to load (no native stub for the platform, a noexec temp dir) surfaces there. */
  static final class Loaded {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private LibC libc;
  private final FileChannel channel;
  private int fd;
  private final long step;
  /** Bytes handed over in all when the last round of advice ran. */
  private long lastRound;
  /**
   * The file's size less the bytes handed over, at the last round: what the file held before.
   * Appends keep it; a truncation lowers it.
   */
  private long base = Long.MIN_VALUE;
  /** The file offsets up to which writeback was started, and up to which pages were dropped. */
  private long started;
  private long dropped;

  private WrittenPages(LibC libc, FileChannel channel, int fd, long step) {
    this.libc = libc;
    this.channel = channel;
    this.fd = fd;
    this.step = step;
  }

  /** Advice for {@code file}, written through {@code channel}; {@link #NONE} where it cannot be given. */
  static WrittenPages of(Path file, FileChannel channel) {
    return of(file, channel, STEP);
  }

  static WrittenPages of(Path file, FileChannel channel, long step) {
    if (!Files.isRegularFile(file) || !supported()) {
      return NONE;
    }
    String type = fileSystem(file);
    if (KEEPS_ITS_PAGES.contains(type)) {
      warn(file + " is on " + type + ", whose pages cannot be dropped: put the audit file on a volume");
      return NONE;
    }
    LibC libc;
    try {
      libc = Loaded.LIBC;
    } catch (Error | RuntimeException e) { // a LinkageError, or the bare Error of JNA's own check
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
      warn("the C library's calls are not available: " + e);
      return NONE;
    }
    return with(libc, file, channel, step);
  }

  /** Advice through {@code libc}: the C library, or a test's stand-in. */
  static WrittenPages with(LibC libc, Path file, FileChannel channel, long step) {
    try {
      int fd = libc.open(file.toString(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        warn("cannot open " + file + " for advice: errno " + Native.getLastError());
        return NONE;
      }
      // JNA finds a function at its first call: find both now, not at the first round
      if (libc.sync_file_range(fd, 0, 0, 0) != 0 || libc.posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL) != 0) {
        warn("sync_file_range or posix_fadvise refused a no-op on " + file);
        libc.close(fd);
        return NONE;
      }
      return new WrittenPages(libc, channel, fd, step);
    } catch (LinkageError | RuntimeException e) {
      warn("the C library's calls are not available: " + e);
      return NONE;
    }
  }

  /** The file system's type as Linux names it, or "" when it cannot be told. */
  private static String fileSystem(Path file) {
    try {
      return Files.getFileStore(file).type();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean supported() {
    return Platform.isLinux() && Platform.is64Bit() && (Platform.isIntel() || Platform.isARM());
  }

  /** Whether advice is being given; for tests. */
  boolean active() {
    return libc != null;
  }

  /**
   * Called after each hand-over with the bytes handed to the file in all: once a step more has gone,
   * drops what the last round sent to disk and sends what came since. Never throws.
   */
  void advance(long handed) {
    if (libc == null || handed - lastRound < step) {
      return;
    }
    lastRound = handed;
    try {
      long size = channel.size();
      if (size - handed < base) { // truncated under us (a copy-and-truncate rotation): start again
        started = 0;
        dropped = 0;
      }
      base = size - handed;
      // whole pages only, so every round's range starts and ends on a page boundary: the page being
      // filled stays out until it is full
      long end = size & -PAGE_ALIGN;
      if (started > dropped) {
        check("sync_file_range", libc.sync_file_range(fd, dropped, started - dropped,
            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER));
        int error = libc.posix_fadvise(fd, dropped, started - dropped, POSIX_FADV_DONTNEED);
        if (error != 0) {
          throw new IOException("posix_fadvise failed: errno " + error);
        }
        dropped = started;
      }
      if (end > started) {
        check("sync_file_range", libc.sync_file_range(fd, started, end - started, SYNC_FILE_RANGE_WRITE));
        started = end;
      }
    } catch (DiskError e) {
      LOG.log(System.Logger.Level.ERROR, "audit log: the disk failed to write the audit file back ("
          + e.getMessage() + "): lines may not have reached it; written pages stay in the page cache");
      close();
    } catch (IOException | RuntimeException | LinkageError e) {
      warn(e.toString());
      close();
    }
  }

  private static void check(String call, int result) throws IOException {
    if (result != 0) {
      int errno = Native.getLastError();
      String what = call + " failed: errno " + errno;
      throw errno == EIO || errno == ENOSPC ? new DiskError(what) : new IOException(what);
    }
  }

  /** A write-back error the kernel reported for the file. */
  private static final class DiskError extends IOException {
    DiskError(String message) {
      super(message);
    }
  }

  private static void warn(String why) {
    LOG.log(System.Logger.Level.WARNING, "audit log: written pages stay in the page cache (" + why + ")");
  }

  @Override
  public void close() {
    if (libc != null) {
      try {
        libc.close(fd);
      } catch (LinkageError | RuntimeException e) {
        warn(e.toString());
      }
      libc = null;
      fd = -1;
    }
  }
}
