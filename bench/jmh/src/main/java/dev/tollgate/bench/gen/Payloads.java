package dev.tollgate.bench.gen;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the request bodies of bench/run.sh's scenarios into a folder, and {@code payloads.tsv}
 * describing them (name, bytes, resources, spans). Usage: {@code Payloads OUT_DIR}.
 */
public final class Payloads {
  /** Services the benchmark policy refuses; the mix scenario alternates them with permitted ones. */
  static final List<String> FORBIDDEN = List.of("payments", "ledger", "fraud-check", "billing", "refunds");

  private Payloads() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Payloads OUT_DIR");
      System.exit(64);
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    List<String> manifest = new ArrayList<>();
    ExportTraceServiceRequest small = TraceBatches.build(List.of("checkout"), 10, 1);
    write(out, "small.pb", small.toByteArray(), small, manifest);
    write(out, "small.json", TraceBatches.json(small).getBytes(UTF_8), small, manifest);
    write(out, "small.pb.gz", gzip(small.toByteArray()), small, manifest);
    ExportTraceServiceRequest large = TraceBatches.permitted(50, 100, 2);
    write(out, "large.pb", large.toByteArray(), large, manifest);
    ExportTraceServiceRequest mix = TraceBatches.build(mixServices(10), 10, 3);
    write(out, "mix.pb", mix.toByteArray(), mix, manifest);
    Files.writeString(out.resolve("zipkin-traces.json"), zipkinTraces(10, 10));
    Files.write(out.resolve("payloads.tsv"), manifest);
  }

  /** Half permitted ({@code cart-NN}), half forbidden, interleaved. */
  static List<String> mixServices(int n) {
    List<String> services = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      services.add(i % 2 == 0 ? String.format("cart-%02d", i) : FORBIDDEN.get(i / 2 % FORBIDDEN.size()));
    }
    return services;
  }

  private static void write(Path dir, String name, byte[] body, ExportTraceServiceRequest req,
      List<String> manifest) throws IOException {
    Files.write(dir.resolve(name), body);
    long spans = req.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum();
    manifest.add(name + "\t" + body.length + "\t" + req.getResourceSpansCount() + "\t" + spans);
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A Zipkin v2 {@code /api/v2/traces} answer: {@code traces} traces of {@code spans} spans whose
   * services alternate between permitted and forbidden ones, so a scoping gateway has to filter.
   */
  public static String zipkinTraces(int traces, int spans) {
    Random random = new Random(4);
    HexFormat hex = HexFormat.of();
    JsonArray all = new JsonArray();
    for (int t = 0; t < traces; t++) {
      byte[] traceId = new byte[16];
      random.nextBytes(traceId);
      String root = null;
      JsonArray trace = new JsonArray();
      for (int s = 0; s < spans; s++) {
        byte[] id = new byte[8];
        random.nextBytes(id);
        String service = s % 3 == 2 ? FORBIDDEN.get(s % FORBIDDEN.size()) : s % 3 == 0 ? "checkout" : "cart-01";
        JsonObject span = new JsonObject()
            .put("traceId", hex.formatHex(traceId))
            .put("id", hex.formatHex(id))
            .put("name", "get /api/cart")
            .put("kind", "SERVER")
            .put("timestamp", 1_700_000_000_000_000L + t * 1_000_000L + s * 1_000L)
            .put("duration", 150 + random.nextInt(5_000))
            .put("localEndpoint", new JsonObject().put("serviceName", service).put("ipv4", "10.1.2." + s))
            .put("tags", new JsonObject().put("http.method", "GET").put("http.path", "/api/cart/" + s));
        if (root != null) {
          span.put("parentId", root);
        } else {
          root = hex.formatHex(id);
        }
        trace.add(span);
      }
      all.add(trace);
    }
    return all.encode();
  }
}
