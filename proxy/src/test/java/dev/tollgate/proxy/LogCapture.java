package dev.tollgate.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What a logger publishes, at every level, while this is open (System.Logger goes to it by default). */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level level;
  private final Handler handler;
  /** The records published so far. */
  public final List<LogRecord> records = new CopyOnWriteArrayList<>();

  public LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    this.level = logger.getLevel();
    this.handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(level);
  }
}
