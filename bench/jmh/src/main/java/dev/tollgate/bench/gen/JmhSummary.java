package dev.tollgate.bench.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Markdown from a JMH JSON result ({@code -rf json}): one row per benchmark and parameter set, MB/s
 * where the benchmark counts payload bytes, time per resource for the batch shapes, and the
 * resource-scan target (at least 1 GB/s on protobuf, cost per resource flat whatever the spans per
 * resource). Usage: {@code JmhSummary jmh.json}.
 */
public final class JmhSummary {
  private static final double GB = 1e9;

  private JmhSummary() {}

  public static void main(String[] args) throws IOException {
    JsonArray results = new JsonArray(Files.readString(Path.of(args[0])));
    StringBuilder out = new StringBuilder(
        "| benchmark | parameters | score | MB/s | µs per resource |\n| --- | --- | ---: | ---: | ---: |\n");
    Map<String, Double> scan = new LinkedHashMap<>();
    Map<String, Double> perResource = new LinkedHashMap<>();
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      String name = r.getString("benchmark").replaceFirst("^dev\\.tollgate\\.bench\\.", "");
      String params = params(r.getJsonObject("params"));
      JsonObject primary = r.getJsonObject("primaryMetric");
      JsonObject bytes = r.getJsonObject("secondaryMetrics", new JsonObject()).getJsonObject("bytes");
      double bytesPerSecond = bytes == null ? -1 : bytes.getDouble("score");
      String shape = r.getJsonObject("params", new JsonObject()).getString("shape");
      double micros = Double.NaN;
      if (shape != null && name.startsWith("ResourceScanBenchmark") && "ops/s".equals(primary.getString("scoreUnit"))) {
        micros = 1e6 / primary.getDouble("score") / Integer.parseInt(shape.split("x")[0]);
      }
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, params, score(primary),
          bytesPerSecond < 0 ? "" : String.format(Locale.ROOT, "%,.0f", bytesPerSecond / 1e6),
          Double.isNaN(micros) ? "" : String.format(Locale.ROOT, "%.2f", micros)));
      if (name.equals("ResourceScanBenchmark.scan") && params.contains("PROTOBUF")) {
        scan.put(params, bytesPerSecond);
        perResource.put(shape, micros);
      }
    }
    System.out.print(out);
    if (!scan.isEmpty()) {
      double min = scan.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = scan.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      System.out.printf(Locale.ROOT, "%nResource scan (protobuf): slowest shape %.1f GB/s, fastest %.1f GB/s: "
          + "≥ 1 GB/s target %s. Time per resource by shape (resources x spans per resource): %s µs — spans "
          + "are skipped by length, so the cost follows the number of resources, not of spans.%n",
          min / GB, max / GB, min >= GB ? "met" : "**missed**",
          perResource.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", ")));
    }
  }

  private static String params(JsonObject params) {
    if (params == null) {
      return "";
    }
    return params.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String score(JsonObject m) {
    double score = m.getDouble("score");
    double error = m.getValue("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
    String unit = m.getString("scoreUnit");
    String err = Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %s", human(error));
    return human(score) + err + " " + unit;
  }

  private static String human(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }
}
