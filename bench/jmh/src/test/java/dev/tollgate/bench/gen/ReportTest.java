package dev.tollgate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The report of a run folder: which runs a table and a target are judged on. */
class ReportTest {
  @TempDir Path dir;

  @Test
  void aThroughputTargetIsJudgedOnTheMedianOfTheRoundsAndTheTablesKeepThePasses() throws IOException {
    // as bench/run.sh writes them: Tollgate's pass, the rounds, then the other peers' passes
    List<String> runs = new ArrayList<>(List.of(run("", "tollgate", 20_198)));
    // Tollgate/HAProxy 1.40, 1.60, 1.70 (median met, one round missed); Tollgate/nginx 0.50, 0.55, 0.45
    runs.add(round(1, "tollgate", 28_000).replace("{", "{\"jit_cpu_s\":0.31,"));
    runs.add(round(1, "haproxy", 20_000));
    runs.add(round(1, "nginx", 56_000));
    runs.add(round(2, "haproxy", 15_000));
    runs.add(round(2, "nginx", 43_636.36));
    runs.add(round(2, "tollgate", 24_000));
    runs.add(round(3, "nginx", 37_777.78));
    runs.add(round(3, "tollgate", 17_000));
    runs.add(round(3, "haproxy", 10_000));
    runs.add(run("", "nginx", 43_126));
    runs.add(run("", "haproxy", 14_799));

    String report = render(runs);

    assertThat(targetRow(report, "1.5× HAProxy"))
        .contains("median 1.60× of 3 interleaved rounds (1.40×, 1.60×, 1.70×; met in 2 of 3)")
        .contains("the passes: 1.36× (20,198 vs 14,799 req/s)")
        .endsWith("| met |");
    assertThat(targetRow(report, "0.8× nginx"))
        .contains("median 0.50× of 3 interleaved rounds (0.50×, 0.55×, 0.45×; met in 0 of 3)")
        .endsWith("| **missed** |");
    assertThat(section(report, "### small:", "#### small, interleaved rounds"))
        .contains("| tollgate | 20,198 |")
        .contains("| haproxy | 14,799 |")
        .contains("Tollgate/haproxy **1.36×**")
        .doesNotContain("28,000")
        .doesNotContain("20,000");
    assertThat(section(report, "#### small, interleaved rounds", "### large"))
        .contains("| 1 | tollgate, haproxy, nginx | 28,000 | 20,000 | 56,000 | 1.40× | 0.50× | up to 0% | 0.31 s |")
        .contains("| 2 | haproxy, nginx, tollgate | 24,000 | 15,000 | 43,636 | 1.60× | 0.55× |")
        .contains("Tollgate/haproxy over the rounds: median **1.60×**, from 1.40× to 1.70×.")
        .contains("Tollgate/nginx over the rounds: median **0.50×**, from 0.45× to 0.55×.");
  }

  /** With the bare proxy among the peers, the rounds hold the floor of Tollgate's stack, seconds from it. */
  @Test
  void theBareProxyInTheRoundsGivesTheStacksFloorNextToTollgate() throws IOException {
    List<String> runs = new ArrayList<>(passes(22_500, 14_799, 43_126));
    runs.add(round(1, "tollgate", 30_000));
    runs.add(round(1, "haproxy", 15_000));
    runs.add(round(1, "nginx", 40_000));
    runs.add(round(1, "vertx", 36_000));
    runs.add(round(2, "haproxy", 15_000));
    runs.add(round(2, "nginx", 40_000));
    runs.add(round(2, "vertx", 32_000));
    runs.add(round(2, "tollgate", 28_000));

    String rounds = section(render(runs), "#### small, interleaved rounds", "### large");

    assertThat(rounds)
        .contains("| round | order | tollgate req/s | haproxy req/s | nginx req/s | vertx req/s | Tollgate/HAProxy"
            + " | Tollgate/nginx | Tollgate/vertx | vertx/nginx |")
        .contains("| 1 | tollgate, haproxy, nginx, vertx | 30,000 | 15,000 | 40,000 | 36,000 | 2.00× | 0.75× | 0.83× | 0.90× |")
        .contains("| 2 | haproxy, nginx, vertx, tollgate | 28,000 | 15,000 | 40,000 | 32,000 | 1.87× | 0.70× | 0.88× | 0.80× |")
        .contains("Tollgate/vertx over the rounds: median **0.85×**, from 0.83× to 0.88×.")
        .contains("The vertx bare proxy/nginx over the rounds: median **0.85×**, from 0.80× to 0.90×.")
        .doesNotContain("netty");
  }

  /** Both bare proxies: Vert.x's server and Netty's codec, each a column pair of its own, in that order. */
  @Test
  void bothBareProxiesInTheRoundsEachGetTheirColumns() throws IOException {
    List<String> runs = new ArrayList<>(passes(22_500, 14_799, 43_126));
    runs.add(round(1, "tollgate", 30_000));
    runs.add(round(1, "haproxy", 15_000));
    runs.add(round(1, "nginx", 40_000));
    runs.add(round(1, "vertx", 36_000));
    runs.add(round(1, "netty", 40_000));

    String rounds = section(render(runs), "#### small, interleaved rounds", "### large");

    assertThat(rounds)
        .contains("| nginx req/s | vertx req/s | netty req/s | Tollgate/HAProxy | Tollgate/nginx | Tollgate/vertx"
            + " | vertx/nginx | Tollgate/netty | netty/nginx |")
        .contains("| 1 | tollgate, haproxy, nginx, vertx, netty | 30,000 | 15,000 | 40,000 | 36,000 | 40,000 | 2.00× | 0.75×"
            + " | 0.83× | 0.90× | 0.75× | 1.00× |")
        .contains("The bare proxy `netty` (Netty's HTTP codec")
        .contains("The netty bare proxy/nginx over the rounds: median **1.00×**, from 1.00× to 1.00×.");
  }

  @Test
  void withoutRoundsATargetIsJudgedOnThePasses() throws IOException {
    String report = render(passes(22_500, 14_799, 43_126));

    assertThat(targetRow(report, "1.5× HAProxy")).contains("1.52× (22,500 vs 14,799 req/s)").endsWith("| met |");
    assertThat(targetRow(report, "0.8× nginx")).contains("0.52× (22,500 vs 43,126 req/s)").endsWith("| **missed** |");
    assertThat(report).doesNotContain("interleaved rounds");
  }

  /**
   * The p99 target is Tollgate's p99 less direct's, from passes minutes apart. When direct's pass
   * was the slower one (a stall of the machine's), the difference is negative and says nothing.
   */
  @ParameterizedTest
  @CsvSource(delimiterString = ";;", quoteCharacter = '"', value = {
      "2340;; 1410;; 0.93 ms (Tollgate p99 2.34 ms, direct 1.41 ms) | met |",
      "3000;; 500;; 2.50 ms (Tollgate p99 3.00 ms, direct 0.50 ms) | **missed** |",
      "6390;; 31930;; -25.54 ms (Tollgate p99 6.39 ms, direct 31.93 ms): direct's pass was slower than Tollgate's"
          + " | **not judged** |"})
  void theP99TargetIsNotJudgedWhenTheFloorsPassWasTheSlowerOne(double tollgate, double direct, String expected)
      throws IOException {
    List<String> runs = new ArrayList<>(passes(22_500, 14_799, 43_126));
    runs.add(latency("tollgate", tollgate));
    runs.add(latency("direct", direct));

    String report = render(runs);

    assertThat(report.lines().filter(l -> l.startsWith("| p99 added over direct")).findFirst().orElseThrow())
        .endsWith(expected);
  }

  /**
   * A rate set by another peer's peak (LATENCY_OF=nginx: what the p99 target asks of a proxy on
   * this machine) gives the latency table, named by whose peak it halved, and judges no target:
   * the target names half of Tollgate's own peak.
   */
  @Test
  void latencyAtHalfOfAnotherPeersPeakIsReportedButNotJudged() throws IOException {
    List<String> runs = new ArrayList<>(passes(22_500, 14_799, 43_126));
    runs.add(latency("nginx", 1500));
    runs.add(latency("direct", 400));
    runs.add(latency("tollgate", 900));

    String report = render(runs, "latency_rate=21563\nlatency_of=nginx\n");

    assertThat(report).contains("### Latency at a constant 21563 req/s (half of nginx's small-batch peak)")
        .contains("| nginx | 11,250 | 0.25 | 1.50 | 3.00 | 4.50 | 1.10 ms |")
        .doesNotContain("| p99 added over direct ≤");
    assertThat(render(runs, "latency_rate=21563\nlatency_of=given\n"))
        .contains("### Latency at a constant 21563 req/s (set by LATENCY_RATE)")
        .doesNotContain("| p99 added over direct ≤");
    assertThat(render(runs, "latency_rate=11250\n"))
        .contains("### Latency at a constant 11250 req/s (half of Tollgate's small-batch peak)")
        .contains("| p99 added over direct ≤ 1 ms at half of Tollgate's peak (11250 req/s) | 0.50 ms");
  }

  private static String latency(String peer, double p99) {
    return "{\"peer\":\"" + peer + "\",\"scenario\":\"latency\",\"target_rps\":11250.0,\"achieved_rps\":11250.0,"
        + "\"requests\":67500,\"ok\":67500,\"non2xx\":0,\"errors\":0,\"p50_us\":250.0,\"p90_us\":500.0,"
        + "\"p99_us\":" + p99 + ",\"p999_us\":" + (p99 * 2) + ",\"max_us\":" + (p99 * 3) + ",\"mean_us\":300.0}";
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Report.median(List.of(1.9, 1.2, 1.6, 1.4))).isEqualTo(1.5);
    assertThat(Report.median(List.of(1.3))).isEqualTo(1.3);
  }

  private String render(List<String> runs) throws IOException {
    return render(runs, "");
  }

  /** The report of {@code runs}, with {@code properties} added to the run's machine.properties. */
  private String render(List<String> runs, String properties) throws IOException {
    Files.writeString(dir.resolve("machine.properties"),
        "warmup=2\nwarmup_jvm=6\nduration=6\npeer_cpus=0\nload_cpus=1\n" + properties);
    Files.writeString(dir.resolve("payloads.tsv"), "small.pb\t2721\t1\t10\n");
    Files.write(dir.resolve("runs.jsonl"), runs);
    Path results = dir.resolve("RESULTS.md");
    Report.main(new String[] {dir.toString(), "--update", results.toString()});
    return Files.readString(results);
  }

  private static List<String> passes(double tollgate, double haproxy, double nginx) {
    List<String> runs = new ArrayList<>();
    runs.add(run("", "tollgate", tollgate));
    runs.add(run("", "nginx", nginx));
    runs.add(run("", "haproxy", haproxy));
    return runs;
  }

  private static String round(int round, String peer, double rps) {
    return run("\"round\":" + round + ",", peer, rps);
  }

  private static String run(String tag, String peer, double rps) {
    return "{" + tag + "\"peer\":\"" + peer + "\",\"scenario\":\"small\",\"rps\":" + rps
        + ",\"peer_core_busy_pct\":99,\"others_on_peer_core_pct\":0,\"load_core_busy_pct\":60,\"p50_us\":1000,"
        + "\"p99_us\":3000,\"p999_us\":5000,\"requests\":100000}";
  }

  private static String targetRow(String report, String target) {
    return report.lines().filter(l -> l.startsWith("| small batch: Tollgate ≥ " + target)).findFirst().orElseThrow();
  }

  private static String section(String report, String from, String to) {
    int start = report.indexOf(from);
    int end = report.indexOf(to, start + 1);
    assertThat(start).as(from).isNotNegative();
    return report.substring(start, end < 0 ? report.length() : end);
  }
}
