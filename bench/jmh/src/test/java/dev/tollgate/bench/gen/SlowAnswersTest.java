package dev.tollgate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow answers lined up with the JVM's safepoints and the host's steal ticks, on one clock. */
class SlowAnswersTest {
  @TempDir Path dir;

  /**
   * 1,000 answers one per ms from t0 = 100 s, 0.2 ms each but for ten of 5 ms (the slowest 1%)
   * sent at 500–509 ms. A 3.5 ms safepoint from 500 ms meets the slow ones sent at 500–503 ms; a
   * steal tick on the peer's core over 509.5–519.5 ms meets those sent at 505–509 ms (and ten fast
   * ones, 510–519); the one sent at 504 ms meets neither. A tick on a CPU that is neither the
   * peer's nor the load core's is ignored. (No boundary is a tie, so rounding cannot decide.)
   */
  @Test
  void theSlowestAnswersAreSplitByWhatTheyWereInFlightDuring() throws IOException {
    List<String> series = new ArrayList<>(List.of("# t0_monotonic_s 100.000000"));
    for (int i = 0; i < 1000; i++) {
      series.add(String.format(java.util.Locale.ROOT, "%.6f %.1f", i / 1000.0, i >= 500 && i < 510 ? 5000.0 : 200.0));
    }
    series.add("# steal 0.300 3 10");
    series.add("# steal 0.5195 0 10");
    Files.createDirectories(dir.resolve("work"));
    Files.write(dir.resolve("work/latency-tollgate.tsv"), series);
    Files.write(dir.resolve("tollgate-gc.log"), List.of(
        "[0.005s][99000000000ns][info][gc] Using Serial",
        "[1.503s][100503500000ns][info][safepoint] Safepoint \"GenCollectForAllocation\", Time since last: 1 ns,"
            + " Reaching safepoint: 10000 ns, Cleanup: 1 ns, At safepoint: 3490000 ns, Total: 3500000 ns"));
    Properties machine = new Properties();
    machine.setProperty("peer_cpus", "0");
    machine.setProperty("load_cpus", "1");

    StringBuilder out = new StringBuilder();
    SlowAnswers.table(dir, machine, List.of("direct", "tollgate"), out);

    assertThat(out.toString())
        .contains("| tollgate | 10 answers from 5.00 ms | 40% | 50% | 10% | 0% / 2% |")
        .doesNotContain("| direct |");
  }

  @Test
  void aPeerThatIsNotAJvmHasNoPauseColumnAndALogWithoutClockStampsExplainsNothing() throws IOException {
    List<String> series = List.of("# t0_monotonic_s 5.0", "0.000000 100.0", "0.001000 900.0", "# steal 0.010 1 10");
    Files.write(dir.resolve("gc-uptime-only.log"),
        List.of("[1.503s][info][safepoint] Safepoint \"Cleanup\", Time since last: 1 ns, Total: 3000 ns"));

    assertThat(SlowAnswers.row("nginx", series, null, 0, 1)).isEqualTo("| nginx | 1 answer from 0.90 ms | — | 100% | 0% | — / 100% |\n");
    assertThat(SlowAnswers.pauses(dir.resolve("gc-uptime-only.log"))).isNull();
    assertThat(SlowAnswers.row("nginx", List.of("0.0 100.0"), null, 0, 1)).as("no t0").isNull();
  }

  /** pace late by 200 ms reports that stall's steal in one line: it covers the 200 ms, not 10. */
  @Test
  void aStealLineCoversAsMuchAsItReports() {
    List<String> series = List.of("# t0_monotonic_s 5.0", "0.100000 100.0", "0.350000 900.0", "# steal 0.520 0 200",
        "0.4");

    assertThat(SlowAnswers.row("nginx", series, null, 0, 1))
        .as("the slow answer sent at 350 ms is inside 320-520 ms; the cut-short last line is skipped")
        .isEqualTo("| nginx | 1 answer from 0.90 ms | — | 100% | 0% | — / 50% |\n");
  }
}
