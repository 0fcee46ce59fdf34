package dev.tollgate.bench.gen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tollgate's stop-the-world pauses, read from its GC and safepoint log ({@code -Xlog:safepoint}). */
final class Safepoints {
  private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"([^\"]+)\".*Total: (\\d+) ns");
  /** The {@code timenanos} decoration (CLOCK_MONOTONIC), when the log has it. */
  private static final Pattern STAMP = Pattern.compile("\\[(\\d+)ns\\]");

  private Safepoints() {}

  /**
   * One safepoint: what it was for, how long it took (reaching it included), and when it ended in
   * seconds of CLOCK_MONOTONIC, NaN when the log was not stamped with {@code timenanos}.
   */
  record Safepoint(String what, double seconds, double endSeconds) {}

  /** Every safepoint in {@code log}, in the log's order; empty when there is no such file. */
  static List<Safepoint> read(Path log) throws IOException {
    List<Safepoint> found = new ArrayList<>();
    if (!Files.exists(log)) {
      return found;
    }
    for (String line : Files.readAllLines(log)) {
      Matcher m = SAFEPOINT.matcher(line);
      if (m.find()) {
        Matcher stamp = STAMP.matcher(line);
        found.add(new Safepoint(m.group(1), Long.parseLong(m.group(2)) / 1e9,
            stamp.find() && stamp.start() < m.start() ? Long.parseLong(stamp.group(1)) / 1e9 : Double.NaN));
      }
    }
    return found;
  }
}
