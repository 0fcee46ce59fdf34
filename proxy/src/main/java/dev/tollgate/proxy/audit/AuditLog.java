package dev.tollgate.proxy.audit;

import dev.tollgate.config.AuditConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * them unaudited.
 */
public final class AuditLog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  /** How long the writer lets events gather before writing a batch: at most this late on disk. */
  static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** Queues smaller than this are not left to gather (a 2 ms burst could fill them). */
  static final int MIN_QUEUE_TO_GATHER = 4096;
  private final BlockingQueue<AuditEvent> queue;
  private final OutputStream out;
  private final Thread writer;
  private final AuditJson json;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final List<Consumer<AuditEvent>> listeners = new ArrayList<>();
  private final boolean gather;
  private volatile boolean failed;
  private volatile boolean closed;

  private AuditLog(OutputStream out, int capacity) throws IOException {
    this.out = out;
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
      return new AuditLog(System.out, config.queueCapacity());
    }
    Path file = config.file();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    // unbuffered: AuditJson gathers a batch's lines and hands them over in one write
    return new AuditLog(new FileOutputStream(file.toFile(), true), config.queueCapacity());
  }

  /** Adds a listener called on the writer thread after each event is written (dev mode echoes them). */
  public synchronized void addListener(Consumer<AuditEvent> listener) {
    listeners.add(listener);
  }

  /**
   * Hands an event to the writer; never blocks. Returns false when it could not be taken, in which
   * case the log is marked not writable.
   */
  public boolean record(AuditEvent event) {
    if (failed || closed || !queue.offer(event)) {
      lost.incrementAndGet();
      if (!failed) {
        LOG.log(System.Logger.Level.ERROR, "audit queue full: refusing requests until it drains");
      }
      return false;
    }
    return true;
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

  /**
   * Writes events in batches. After the first event of a batch the writer sleeps for {@link
   * #BATCH_WINDOW_NANOS} instead of waiting on the queue, so the events that arrive meanwhile are
   * enqueued without waking it: under load one wake-up serves a batch rather than each event
   * costing the event loop a futex call and the core a context switch. An idle writer waits on the
   * queue and wakes at the next event.
   */
  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(256);
    while (!closed || !queue.isEmpty()) {
      try {
        writeNext(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        failed = true;
        LOG.log(System.Logger.Level.ERROR, "audit log not writable, refusing requests: " + e.getMessage());
      } catch (RuntimeException e) {
        // an event that cannot be written is a request that would go unaudited: fail closed
        failed = true;
        LOG.log(System.Logger.Level.ERROR, "audit writer failed, refusing requests", e);
      }
    }
  }

  /**
   * One batch: waits up to 100 ms for an event, lets more gather and writes them. A method of its
   * own so that it is compiled once it is hot: the loop around it turns a few hundred times a
   * second, too seldom for the JIT to replace it while it runs: a profile a minute into a bench run
   * still found the writer in the interpreter for 4% of its time.
   */
  private void writeNext(List<AuditEvent> batch) throws InterruptedException, IOException {
    AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return;
    }
    try {
      batch.add(first);
      if (!closed && gather) {
        LockSupport.parkNanos(BATCH_WINDOW_NANOS);
      }
      queue.drainTo(batch, 4095);
      writeBatch(batch);
    } finally {
      batch.clear();
    }
  }

  /** Writes and flushes {@code batch}, counts it and tells the listeners. */
  private void writeBatch(List<AuditEvent> batch) throws IOException {
    for (int i = 0; i < batch.size(); i++) {
      try {
        json.write(batch.get(i));
      } catch (RuntimeException e) {
        // A defect: this event is lost, the batch's others are written, and the log fails closed.
        failed = true;
        lost.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "audit event of request " + batch.get(i).requestId()
            + " could not be written; refusing requests", e);
        batch.remove(i--);
      }
    }
    json.flush();
    written.addAndGet(batch.size());
    notifyListeners(batch);
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
      snapshot.forEach(l -> l.accept(e));
    }
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
      if (!writer.isAlive()) {
        // an event handed over as the writer saw the queue empty and stopped is written here
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeBatch(rest);
      }
      if (out != System.out) {
        out.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing audit log: " + e.getMessage());
    }
  }
}
