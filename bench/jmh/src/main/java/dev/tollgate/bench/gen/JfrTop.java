package dev.tollgate.bench.gen;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording says the CPU went: CPU samples ({@code jdk.ExecutionSample}) grouped by
 * top frame (self time), by every Tollgate method on the stack (inclusive time), and by the top
 * frame's library; plus GC pauses and the allocation hot spots. Prints Markdown.
 *
 * <p>Usage: {@code JfrTop RECORDING.jfr [TOP_N [FROM_EPOCH_MS TO_EPOCH_MS]]}: only events that
 * start inside the window count.
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop RECORDING.jfr [TOP_N]");
      System.exit(64);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Instant from = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MIN;
    Instant to = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[3])) : Instant.MAX;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> libraries = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    long samples = 0;
    long gcPauses = 0;
    double gcPauseMs = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
        continue;
      }
      String type = e.getEventType().getName();
      if (type.equals("jdk.ExecutionSample")) {
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        String leaf = name(frames.get(0));
        self.merge(leaf, 1L, Long::sum);
        libraries.merge(library(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (n.startsWith("dev.tollgate.") && seen.add(n)) {
            inclusive.merge(n, 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.GCPhasePause")) {
        gcPauses++;
        gcPauseMs += e.getDuration().toNanos() / 1e6;
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        RecordedStackTrace stack = e.getStackTrace();
        String site = stack == null ? "?" : firstTollgateFrame(stack.getFrames());
        allocations.merge(site, e.getLong("weight"), Long::sum);
      }
    }
    System.out.printf("CPU samples: %d; GC pauses: %d, %.1f ms in total%n%n", samples, gcPauses, gcPauseMs);
    table("Top frames (self CPU)", self, samples, top, "samples");
    table("Tollgate methods on the stack (inclusive CPU)", inclusive, samples, top, "samples");
    table("Libraries of the top frame", libraries, samples, top, "samples");
    long allocated = allocations.values().stream().mapToLong(Long::longValue).sum();
    table("Allocation by first Tollgate frame (sampled bytes)", allocations, allocated, top, "bytes");
  }

  private static void table(String title, Map<String, Long> counts, long total, int top, String unit) {
    System.out.println("#### " + title + "\n");
    System.out.println("| share | " + unit + " | frame |\n| ---: | ---: | --- |");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(en -> System.out.printf("| %.1f%% | %d | `%s` |%n",
            total == 0 ? 0 : 100.0 * en.getValue() / total, en.getValue(), en.getKey()));
    System.out.println();
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static String firstTollgateFrame(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (name(f).startsWith("dev.tollgate.")) {
        return name(f);
      }
    }
    return frames.isEmpty() ? "?" : "(no Tollgate frame) " + name(frames.get(0));
  }

  /** {@code io.netty.buffer}, {@code dev.tollgate.proxy}, {@code java.util}...: the leading package names. */
  private static String library(RecordedFrame f) {
    String n = name(f);
    String[] parts = n.split("\\.");
    int packages = Math.max(1, parts.length - 2);
    int keep = n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.") ? 2 : 3;
    return String.join(".", Arrays.copyOf(parts, Math.min(keep, packages)));
  }
}
