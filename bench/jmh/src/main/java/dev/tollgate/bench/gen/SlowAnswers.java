package dev.tollgate.bench.gen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each peer's slowest answers in the constant-rate run were in flight during: a stop-the-world
 * pause of Tollgate's JVM, or time the hypervisor took from the peer's core or the load core. pace
 * writes every answer's intended send time (seconds from its t0 on CLOCK_MONOTONIC) and latency to
 * {@code work/latency-PEER.tsv}, with a line per 10 ms in which a CPU lost time to the host; the JVM
 * stamps each safepoint in {@code tollgate-gc.log} with {@code timenanos}, the same clock. Lined
 * up, they say how much of a p99 the harness can see the cause of, and how much it cannot.
 */
final class SlowAnswers {
  private static final Pattern T0 = Pattern.compile("^# t0_monotonic_s ([0-9.]+)");
  private static final Pattern STEAL = Pattern.compile("^# steal ([0-9.]+) (\\d+) ([0-9.]+)");
  /**
   * pace reads /proc/stat every 10 ms: a steal line covers at least the 10 ms before it, and as
   * many as it reports when pace itself was held up (then one line holds a long stall).
   */
  private static final double STEAL_TICK_S = 0.01;

  private SlowAnswers() {}

  /** Appends the table, or nothing when no latency series was kept. */
  static void table(Path dir, Properties machine, List<String> peers, StringBuilder out) throws IOException {
    List<String> rows = new ArrayList<>();
    double[][] pauses = pauses(dir.resolve("tollgate-gc.log"));
    for (String peer : peers) {
      Path series = dir.resolve("work").resolve("latency-" + peer + ".tsv");
      if (Files.exists(series)) {
        String row = row(peer, Files.readAllLines(series), peer.equals("tollgate") ? pauses : null,
            cpu(machine, "peer_cpus"), cpu(machine, "load_cpus"));
        if (row != null) {
          rows.add(row);
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    out.append("What the slowest 1% of each peer's answers were in flight during. A JVM pause is a ")
        .append("safepoint of Tollgate's (`tollgate-gc.log`, stamped on the clock pace measures with; no other ")
        .append("peer has such a log, hence —); host ")
        .append("steal is a 10 ms tick in which the hypervisor ran something else on the peer's core or the ")
        .append("load core (`work/latency-PEER.tsv`). An answer can be slow for neither: queued behind ")
        .append("another, held up by work the harness does not trace (other threads, the kernel, the load ")
        .append("core's own queue), or served by a core that ran slower than it does (the guest cannot see ")
        .append("why; `results/20261122T022241Z-episodes/`). The last column is the same over all answers, ")
        .append("for scale.\n\n")
        .append("| peer | slowest 1% | in a JVM pause | in host steal | in neither | all answers: in a pause / in steal |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    rows.forEach(out::append);
    out.append("\n");
  }

  /** pace's series of one peer: t0, each answer's (send time from t0, latency in s), steal spans. */
  private record Series(double t0, List<double[]> answers, double[][] stolen) {}

  /** The series in {@code lines}, steal kept for the two CPUs; null without t0 or answers. */
  private static Series parse(List<String> lines, int peerCpu, int loadCpu) {
    double t0 = Double.NaN;
    List<double[]> answers = new ArrayList<>();
    List<double[]> steal = new ArrayList<>();
    for (String line : lines) {
      Matcher m;
      if ((m = T0.matcher(line)).find()) {
        t0 = Double.parseDouble(m.group(1));
      } else if ((m = STEAL.matcher(line)).find()) {
        int cpu = Integer.parseInt(m.group(2));
        if (cpu == peerCpu || cpu == loadCpu) {
          double at = Double.parseDouble(m.group(1));
          steal.add(new double[] {at - Math.max(STEAL_TICK_S, Double.parseDouble(m.group(3)) / 1e3), at});
        }
      } else if (!line.startsWith("#")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 2) { // a line cut short (pace stopped mid-write) is skipped
          answers.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]) / 1e6});
        }
      }
    }
    if (answers.isEmpty() || Double.isNaN(t0)) {
      return null;
    }
    double[][] stolen = new double[steal.size()][];
    for (int i = 0; i < stolen.length; i++) {
      stolen[i] = new double[] {t0 + steal.get(i)[0], t0 + steal.get(i)[1]};
    }
    Arrays.sort(stolen, (x, y) -> Double.compare(x[0], y[0]));
    return new Series(t0, answers, stolen);
  }

  /**
   * One table row, or null when the series has no answers or no t0. {@code pauses} (start, end in
   * seconds of CLOCK_MONOTONIC, sorted by start) is null for a peer without a safepoint log (every
   * peer but Tollgate).
   */
  static String row(String peer, List<String> lines, double[][] pauses, int peerCpu, int loadCpu) {
    Series series = parse(lines, peerCpu, loadCpu);
    if (series == null) {
      return null;
    }
    List<double[]> answers = series.answers();
    double t0 = series.t0();
    double[][] stolen = series.stolen();
    double longestSteal = longest(stolen);
    double longestPause = pauses == null ? 0 : longest(pauses);
    double[] sorted = answers.stream().mapToDouble(a -> a[1]).sorted().toArray();
    // the slowest 1%: the last ceil(n / 100) latencies, and any that tie with the first of them
    double threshold = sorted[sorted.length - (int) Math.ceil(sorted.length / 100.0)];
    int slow = 0;
    int slowPaused = 0;
    int slowStolen = 0;
    int slowNeither = 0;
    int paused = 0;
    int inSteal = 0;
    for (double[] a : answers) {
      double from = t0 + a[0];
      double to = from + a[1];
      boolean p = pauses != null && overlaps(pauses, longestPause, from, to);
      boolean s = overlaps(stolen, longestSteal, from, to);
      paused += p ? 1 : 0;
      inSteal += s ? 1 : 0;
      if (a[1] >= threshold) {
        slow++;
        slowPaused += p ? 1 : 0;
        slowStolen += s ? 1 : 0;
        slowNeither += p || s ? 0 : 1;
      }
    }
    return String.format(Locale.ROOT, "| %s | %,d %s from %.2f ms | %s | %s | %s | %s / %s |%n", peer, slow,
        slow == 1 ? "answer" : "answers",
        threshold * 1e3, pauses == null ? "—" : pct(slowPaused, slow), pct(slowStolen, slow),
        pct(slowNeither, slow), pauses == null ? "—" : pct(paused, answers.size()), pct(inSteal, answers.size()));
  }

  /** Safepoints as (start, end) seconds of CLOCK_MONOTONIC, sorted; null without timenanos stamps. */
  static double[][] pauses(Path gcLog) throws IOException {
    List<double[]> found = new ArrayList<>();
    for (Safepoints.Safepoint p : Safepoints.read(gcLog)) {
      if (!Double.isNaN(p.endSeconds())) {
        // logged as it ends: it began its Total (reaching the safepoint included) earlier
        found.add(new double[] {p.endSeconds() - p.seconds(), p.endSeconds()});
      }
    }
    if (found.isEmpty()) {
      return null;
    }
    double[][] sorted = found.toArray(new double[0][]);
    Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
    return sorted;
  }

  /** The longest of {@code spans}, for {@link #overlaps}. */
  private static double longest(double[][] spans) {
    double longest = 0;
    for (double[] s : spans) {
      longest = Math.max(longest, s[1] - s[0]);
    }
    return longest;
  }

  /** Whether [from, to] meets one of {@code spans} (sorted by start, none longer than {@code longest}). */
  private static boolean overlaps(double[][] spans, double longest, double from, double to) {
    int lo = 0;
    int hi = spans.length;
    while (lo < hi) { // the first span starting after `to`
      int mid = (lo + hi) >>> 1;
      if (spans[mid][0] <= to) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // a span that meets [from, to] starts at most the longest span's length before `from`
    for (int i = lo - 1; i >= 0 && spans[i][0] >= from - longest; i--) {
      if (spans[i][1] >= from) {
        return true;
      }
    }
    return false;
  }

  private static String pct(int part, int whole) {
    return String.format(Locale.ROOT, "%.0f%%", whole == 0 ? 0 : part * 100.0 / whole);
  }

  /** The first CPU of a pinning in machine.properties, or -1 (no CPU) when the run did not record it. */
  private static int cpu(Properties machine, String key) {
    String list = machine.getProperty(key);
    return list == null ? -1 : Report.firstCpu(list);
  }
}
