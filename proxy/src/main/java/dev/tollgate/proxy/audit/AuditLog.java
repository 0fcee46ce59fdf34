package dev.tollgate.proxy.audit;

import dev.tollgate.config.AuditConfig;
import io.vertx.core.Context;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The audit trail: events are handed over without blocking and written as JSON lines by one
 * dedicated thread, so file writes never run on an event loop.
 *
 * <p>The log fails closed: when the file cannot be written, or the queue is full, {@link
 * #writable()} turns false, readiness drops and the proxy refuses new requests rather than serve
 * them unaudited. The events of requests already answered are not dropped when a write fails: the
 * writer holds their lines, tries again every {@link #RETRY_MILLIS} ms, and once the file takes
 * them (a full disk was cleared, say) the log is writable again. A line the file took only part
 * of is continued where it stopped, so none is torn or written twice. Only an event the writer
 * cannot serialise, a defect, stops the log for good.
 */
public final class AuditLog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  /**
   * How long the writer lets events gather before writing a batch: at most this late on disk. Each
   * batch costs the core a wake-up and two context switches, but a batch also holds the writer's
   * core (about 4 µs per event), which the event loop sharing that core waits out. 10 ms cut the
   * writer's own CPU by 1.5–2 µs per small request and lengthened the tail at 12,000 requests a
   * second (p90 0.50 → 0.67–0.78 ms, p95 0.73–0.98 → 1.01–1.35 ms); yielding the core every 32
   * events did not win the tail back (bench/results/20261122T113433Z-audit-window/).
   */
  static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** Queues smaller than this are not left to gather (a 2 ms burst could fill them). */
  static final int MIN_QUEUE_TO_GATHER = 4096;
  /** How often the writer tries again to write the lines a failed write left. */
  static final long RETRY_MILLIS = 200;
  /** How often a refused event is logged at most. */
  static final long REFUSING_LOG_NANOS = TimeUnit.SECONDS.toNanos(1);
  private final BlockingQueue<AuditEvent> queue;
  private final WritableByteChannel out;
  private final boolean closeOut;
  private final Thread writer;
  private final AuditJson json;
  private final WrittenPages pages;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  /** When {@link #refusing} last logged: its first call logs. */
  private final AtomicLong lastRefusingLog = new AtomicLong(System.nanoTime() - REFUSING_LOG_NANOS);
  private final List<Consumer<AuditEvent>> listeners = new ArrayList<>();
  private final boolean gather;
  /** Whether requests are refused: while the file fails, and for good after a defect. */
  private volatile boolean failed;
  private volatile boolean closed;
  // the writer thread's own state (and close()'s, once the writer has stopped)
  private boolean failing;
  private boolean defect;

  AuditLog(WritableByteChannel out, boolean closeOut, int capacity) {
    this(out, closeOut, capacity, WrittenPages.NONE);
  }

  AuditLog(WritableByteChannel out, boolean closeOut, int capacity, WrittenPages pages) {
    this.out = out;
    this.pages = pages;
    this.closeOut = closeOut;
    this.json = new AuditJson(out);
    this.queue = new ArrayBlockingQueue<>(capacity);
    // A small queue could fill during the window and refuse requests: it is written at once.
    this.gather = capacity >= MIN_QUEUE_TO_GATHER;
    this.writer = new Thread(this::drain, "tollgate-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Opens the configured audit destination for appending.
   *
   * @throws IOException when the file cannot be opened: Tollgate must not start unaudited
   */
  public static AuditLog open(AuditConfig config) throws IOException {
    if (config.toStdout()) {
      // The descriptor itself, not System.out: a PrintStream swallows write errors, and a log
      // that cannot see its failures cannot fail closed.
      return new AuditLog(new FileOutputStream(FileDescriptor.out).getChannel(), false, config.queueCapacity());
    }
    Path file = config.file();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    // unbuffered: AuditJson gathers a batch's lines and hands them over in one write
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    return new AuditLog(channel, true, config.queueCapacity(), WrittenPages.of(file, channel));
  }

  /**
   * Adds a listener called on the writer thread with each event once its batch was handed to the
   * file, or held because the file refused it (dev mode echoes them). A listener that throws is
   * logged and does not stop the writer.
   */
  public synchronized void addListener(Consumer<AuditEvent> listener) {
    listeners.add(listener);
  }

  /**
   * Hands an event to the writer; never blocks. Returns false when it could not be taken, in which
   * case the log is marked not writable.
   */
  public boolean record(AuditEvent event) {
    if (failed || closed || !queue.offer(event)) {
      long n = lost.incrementAndGet();
      if (!failed) {
        refusing(closed ? "audit log closed: refusing requests" : "audit queue full: refusing requests until it drains", n);
      }
      return false;
    }
    return true;
  }

  /**
   * Logs why events are refused, at most once every {@link #REFUSING_LOG_NANOS}: it is said on the
   * event loop for each request refused, which are many exactly when the log cannot keep up.
   */
  private void refusing(String why, long lostSoFar) {
    long now = System.nanoTime();
    long last = lastRefusingLog.get();
    if (now - last >= REFUSING_LOG_NANOS && lastRefusingLog.compareAndSet(last, now)) {
      LOG.log(System.Logger.Level.ERROR, why + " (" + lostSoFar + " events not recorded so far)");
    }
  }

  /** Whether events can be recorded now: the file is writable and the queue has room. */
  public boolean writable() {
    return !failed && !closed && queue.remainingCapacity() > 0;
  }

  public long written() {
    return written.get();
  }

  public long lost() {
    return lost.get();
  }

  /** Lines held because the file did not take them yet; for tests. */
  int held() {
    return json.pending();
  }

  /**
   * Writes events in batches. After the first event of a batch the writer sleeps for {@link
   * #BATCH_WINDOW_NANOS} instead of waiting on the queue, so the events that arrive meanwhile are
   * enqueued without waking it: under load one wake-up serves a batch rather than each event
   * costing the event loop a futex call and the core a context switch. An idle writer waits on the
   * queue and wakes at the next event; a writer holding lines the file refused tries them again
   * every {@link #RETRY_MILLIS} ms.
   */
  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(256);
    while (!closed || !queue.isEmpty()) {
      try {
        writeNext(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // not an event's defect (those are caught per event): the writer itself is broken
        defect = true;
        failed = true;
        LOG.log(System.Logger.Level.ERROR, "audit writer failed, refusing requests", e);
      }
    }
  }

  /**
   * One batch: waits for an event (up to 100 ms, or {@link #RETRY_MILLIS} while lines are held),
   * lets more gather, encodes them and writes what is gathered. A method of its own so that it is
   * compiled once it is hot: the loop around it turns a few hundred times a second, too seldom for
   * the JIT to replace it while it runs: a profile a minute into a bench run still found the writer
   * in the interpreter for 4% of its time.
   */
  private void writeNext(List<AuditEvent> batch) throws InterruptedException {
    AuditEvent first = queue.poll(failing ? RETRY_MILLIS : 100, TimeUnit.MILLISECONDS);
    try {
      if (first != null) {
        batch.add(first);
        if (!closed && gather && !failing) {
          LockSupport.parkNanos(BATCH_WINDOW_NANOS);
        }
        queue.drainTo(batch, 4095);
        encode(batch);
      }
      if (first != null || failing) {
        flush();
      }
      notifyListeners(batch);
    } finally {
      batch.clear();
    }
  }

  /**
   * Adds the batch's lines, handing them over a chunk at a time. An event that cannot be serialised
   * (a defect) is lost alone and counted; the others are written, and the log stops taking events.
   */
  private void encode(List<AuditEvent> batch) {
    for (int i = 0; i < batch.size(); i++) {
      try {
        json.write(batch.get(i));
      } catch (RuntimeException e) {
        defect = true;
        failed = true;
        lost.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "audit event of request " + batch.get(i).requestId()
            + " could not be written; refusing requests", e);
        batch.remove(i--);
        continue;
      }
      if (json.buffered() >= AuditJson.CHUNK && !failing) {
        flush();
      }
    }
  }

  /**
   * Hands what is gathered to the file. When the file fails, the log refuses requests and the
   * lines stay held; when it takes them again, the log is writable again (unless a defect stopped
   * it).
   */
  private void flush() {
    try {
      json.flush();
    } catch (IOException | RuntimeException e) {
      written.set(json.written());
      if (e instanceof RuntimeException) {
        // the channel itself misbehaved: hold the lines as for a failing file, but for good
        defect = true;
      }
      if (!failing) {
        failing = true;
        failed = true;
        LOG.log(System.Logger.Level.ERROR, "audit log not writable, refusing requests; holding "
            + json.pending() + " events and trying again every " + RETRY_MILLIS + " ms: " + e);
      }
      return;
    }
    written.set(json.written()); // before requests are taken again: whoever sees writable() sees the count
    if (failing) {
      failing = false;
      failed = defect;
      LOG.log(System.Logger.Level.WARNING, "audit log writable again: the held events are written"
          + (defect ? "; still refusing requests after an earlier defect" : ", taking requests again"));
    }
    pages.advance(json.handed()); // after the recovery: it may wait for the disk
  }

  private void notifyListeners(List<AuditEvent> batch) {
    List<Consumer<AuditEvent>> snapshot;
    synchronized (this) {
      if (listeners.isEmpty()) {
        return;
      }
      snapshot = List.copyOf(listeners);
    }
    for (AuditEvent e : batch) {
      for (Consumer<AuditEvent> listener : snapshot) {
        try {
          listener.accept(e);
        } catch (RuntimeException failure) {
          LOG.log(System.Logger.Level.WARNING, "audit listener failed on request " + e.requestId(), failure);
        }
      }
    }
  }

  /**
   * Writes what is queued and held, then stops the writer. Lines the file still refuses are
   * counted as lost, and so are the queued events of a writer stuck in a write (a pipe nobody
   * reads blocks rather than fails). It waits for the writer, and so may not be called on an event
   * loop.
   */
  @Override
  public void close() {
    if (Context.isOnEventLoopThread()) {
      // a defect in the caller, caught by every test that closes Tollgate
      throw new IllegalStateException("the audit log's close waits for its writer: not on an event loop");
    }
    closed = true;
    try {
      writer.join(5_000);
      if (writer.isAlive()) {
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        lost.addAndGet(rest.size());
        LOG.log(System.Logger.Level.ERROR, "audit writer stuck in a write at close: " + rest.size()
            + " queued events lost, and whatever it holds");
      } else {
        // an event handed over as the writer saw the queue empty and stopped is written here
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        encode(rest);
        try { // one last try, whatever failed before
          json.flush();
        } catch (IOException | RuntimeException e) {
          lost.addAndGet(json.pending());
          LOG.log(System.Logger.Level.ERROR, "audit log closed with " + json.pending()
              + " events it could not write: " + e);
        } finally {
          written.set(json.written());
        }
        notifyListeners(rest);
        pages.close(); // the writer has stopped: nobody advises any more
      }
      if (closeOut) {
        out.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing audit log: " + e.getMessage());
    }
  }
}
