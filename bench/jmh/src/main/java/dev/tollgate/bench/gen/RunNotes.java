package dev.tollgate.bench.gen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** The parts of a {@link Report} that describe how a run was made: machine, method, warm-up, pauses. */
final class RunNotes {
  private RunNotes() {}

  static void header(Properties machine, Path dir, StringBuilder out) {
    String p = machine.getProperty("peer_cpus");
    String l = machine.getProperty("load_cpus");
    out.append("## Run ").append(dir.getFileName())
        .append("1".equals(machine.getProperty("quick")) ? " (quick mode: smoke check, not a measurement)" : "")
        .append("\n\n")
        .append("- Machine: ").append(machine.getProperty("cpu")).append(", ").append(machine.getProperty("memory"))
        .append(", Linux ").append(machine.getProperty("kernel")).append("\n")
        .append("- Software: ").append(machine.getProperty("java")).append("; ").append(machine.getProperty("nginx"))
        .append("; ").append(machine.getProperty("haproxy")).append("; ").append(machine.getProperty("wrk")).append("\n")
        .append("- Tollgate: commit ").append(machine.getProperty("commit")).append(" with ")
        .append(machine.getProperty("worktree_changes")).append(" changed files in the work tree; JVM flags `")
        .append(machine.getProperty("tollgate_java_opts")).append("` (the container image's)\n")
        .append("- Other load: load average ").append(machine.getProperty("load_before")).append(" before the run; ")
        .append("processes above 5% CPU: ").append(orNone(machine.getProperty("busy_processes_before"))).append("\n")
        .append("- Pinning: every peer on CPU ").append(p).append(" (`taskset -c ").append(p).append("`), wrk (")
        .append(machine.getProperty("wrk_threads")).append(" thread, ").append(machine.getProperty("connections"))
        .append(" keep-alive connections) and the sink on CPU ").append(l).append(" (`taskset -c ").append(l)
        .append("`). Each peer has ").append(machine.getProperty("threads"))
        .append(" worker thread (nginx `worker_processes`, HAProxy `nbthread`, Tollgate `event_loops`).\n")
        .append("- Warm-up: Tollgate (a JVM; its JIT compiles on the core that serves) first gets the small batch ")
        .append("for ").append(machine.getProperty("warmup_jit")).append(" s; before each run it gets the ")
        .append("scenario in 2 s slices for at least ").append(machine.getProperty("warmup_jvm"))
        .append(" s and until its JIT compiler threads take under 5% of a slice (at most ")
        .append(machine.getProperty("warmup_jvm_max")).append(" s; the time is given with each table), and ")
        .append(machine.getProperty("warmup_jvm")).append(" s of the constant rate before its latency run (callers: ")
        .append("other callers' tokens); nginx, HAProxy and direct ").append(machine.getProperty("warmup"))
        .append(" s before each run; ")
        .append("then ").append(machine.getProperty("duration")).append(" s measured. CPU is the peer's user+system time from ")
        .append("`/proc/<pid>/stat` (all threads; nginx master+worker), peak RSS its `VmHWM` (reset before each ")
        .append("run with `clear_refs`). \"peer core busy (others)\": how busy the peer's core was, and in brackets ")
        .append("the part used by other processes on the machine (not the peer); \"load core\": wrk and the sink. ")
        .append("Whole run: ").append(machine.getProperty("elapsed_s")).append(" s.\n\n");
  }

  private static String orNone(String s) {
    return s == null || s.isBlank() ? "none" : s.trim();
  }

  /** Tollgate's stop-the-world pauses over the whole measured run, from its safepoint log. */
  static void pauses(Path dir, StringBuilder out) throws IOException {
    Path log = dir.resolve("tollgate-gc.log");
    if (!Files.exists(log)) {
      return;
    }
    long over10 = 0;
    double all = 0;
    double longest = 0;
    String longestWhat = "";
    List<Safepoints.Safepoint> safepoints = Safepoints.read(log);
    for (Safepoints.Safepoint p : safepoints) {
      double ms = p.seconds() * 1e3;
      all += ms;
      over10 += ms > 10 ? 1 : 0;
      if (ms > longest) {
        longest = ms;
        longestWhat = p.what();
      }
    }
    out.append(String.format(Locale.ROOT, "Tollgate's stop-the-world pauses over the whole run (`tollgate-gc.log`): "
        + "%d safepoints, %,.0f ms in all, %d longer than 10 ms, the longest %.1f ms (%s).%n%n", safepoints.size(),
        all, over10, longest, longestWhat));
  }

  /** How long Tollgate's JIT warm-up took per scenario, from warmup.tsv (peer, scenario, seconds, req/s). */
  static void warmup(Path dir, StringBuilder out) throws IOException {
    Path file = dir.resolve("warmup.tsv");
    if (!Files.exists(file)) {
      return;
    }
    Map<String, List<String>> rates = new LinkedHashMap<>();
    Map<String, String> seconds = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t");
      rates.computeIfAbsent(f[1], k -> new ArrayList<>()).add(String.format(Locale.ROOT, "%,d", Long.parseLong(f[3])));
      seconds.put(f[1], f[2]);
    }
    out.append("### Tollgate's warm-up\n\nRates of the 4 s slices of its first small-batch warm-up, from the ")
        .append("JVM's start (one core: the JIT compiles on the core that serves).\n\n");
    rates.forEach((scenario, r) -> out.append("- ").append(scenario).append(": ").append(seconds.get(scenario))
        .append(" s — ").append(String.join(", ", r)).append(" req/s\n"));
    out.append("\n");
  }
}
