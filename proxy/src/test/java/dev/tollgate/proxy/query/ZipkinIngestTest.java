package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zipkin ingest on the wire, JSON v2 and proto3, into the real Zipkin server. */
class ZipkinIngestTest {
  @TempDir static Path dir;
  static ZipkinServer zipkin;
  static QueryFixture f;

  @BeforeAll
  static void start() throws Exception {
    zipkin = ZipkinServer.shared();
    f = new QueryFixture(dir, zipkin.url(), zipkin.url(), "http://127.0.0.1:9/{tenant}", "remove");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static String traceId() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  static String span(String traceId, String id, String service) {
    return "{\"traceId\":\"" + traceId + "\",\"id\":\"" + id + "\",\"name\":\"op\",\"timestamp\":"
        + System.currentTimeMillis() * 1000 + ",\"duration\":10,\"localEndpoint\":{\"serviceName\":\"" + service + "\"}}";
  }

  static HttpResponse<String> post(String contentType, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url("/projects/shop/api/v2/spans")))
        .header("Authorization", "Bearer " + f.client("mesh")).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonArray stored(String traceId) throws Exception {
    for (int i = 0; i < 50; i++) {
      String r = zipkin.get("/api/v2/trace/" + traceId);
      if (r.startsWith("200 ")) {
        return new JsonArray(r.substring(4));
      }
      Thread.sleep(100);
    }
    return new JsonArray();
  }

  @Test
  void jsonBatchKeepsPermittedSpansIn202AndCountsTheRest() throws Exception {
    String t = traceId();
    String body = "[" + span(t, "0000000000000001", "CheckOut") + "," + span(t, "0000000000000002", "ledger") + "]";
    HttpResponse<String> r = post("application/json", body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("x-tollgate-spans-rejected")).hasValue("1");
    JsonArray spans = stored(t);
    assertThat(spans).hasSize(1);
    assertThat(spans.getJsonObject(0).getJsonObject("localEndpoint").getString("serviceName")).isEqualTo("checkout");
    var event = f.audit(r);
    assertThat(event.getString("decision")).isEqualTo("partial");
    assertThat(event.getLong("rejected_items")).isEqualTo(1);
  }

  @Test
  void gzippedProto3IsReadAndForwarded() throws Exception {
    String t = traceId();
    byte[] list = concat(protoSpan(t, "0000000000000003", "payments"), protoSpan(t, "0000000000000004", "ledger"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(list);
    }
    HttpResponse<String> r = post("application/x-protobuf", gz.toByteArray(), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(stored(t)).hasSize(1);
  }

  @Test
  void nothingPermittedIs403AndNothingArrives() throws Exception {
    String t = traceId();
    HttpResponse<String> r = post("application/json", ("[" + span(t, "0000000000000005", "ledger") + "]")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("ledger");
    assertOnlyTheBarrierArrives(t);
  }

  @Test
  void spansThatReadTwoWaysAre400() throws Exception {
    String t = traceId();
    String twice = "[{\"traceId\":\"" + t + "\",\"id\":\"0000000000000006\",\"localEndpoint\":{\"serviceName\":"
        + "\"checkout\"},\"localEndpoint\":{\"serviceName\":\"ledger\"}}]";
    assertThat(post("application/json", twice.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    byte[] twoEndpoints = concat(protoSpan(t, "0000000000000007", "checkout"), new byte[0]);
    byte[] extra = endpoint("ledger");
    byte[] inner = concat(java.util.Arrays.copyOfRange(twoEndpoints, 2, twoEndpoints.length), extra);
    assertThat(post("application/x-protobuf", concat(new byte[] {0x0a, (byte) inner.length}, inner)).statusCode())
        .isEqualTo(400);
    assertThat(post("text/plain", new byte[] {'[', ']'}).statusCode()).isEqualTo(415);
    assertOnlyTheBarrierArrives(t);
  }

  /**
   * Sends a permitted span of trace {@code t} after the refused ones and waits until Zipkin has
   * stored it: a refused span forwarded anyway would have reached Zipkin before the barrier did,
   * from the same sender by the same path, so it has had at least that long to be stored. A fixed
   * sleep only hoped to be long enough on a loaded machine.
   */
  private static void assertOnlyTheBarrierArrives(String t) throws Exception {
    assertThat(post("application/json", ("[" + span(t, "00000000000000ff", "checkout") + "]")
        .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
    JsonArray spans = stored(t);
    assertThat(spans).extracting(o -> ((io.vertx.core.json.JsonObject) o).getString("id"))
        .containsExactly("00000000000000ff");
  }

  /** One ListOfSpans entry (field 1) with trace id, id and local endpoint. */
  static byte[] protoSpan(String traceId, String id, String service) {
    byte[] inner = concat(field(1, hex(traceId)), field(3, hex(id)), field(5, "op".getBytes(StandardCharsets.UTF_8)),
        fixed64(6, System.currentTimeMillis() * 1000), endpoint(service));
    return field(1, inner);
  }

  static byte[] endpoint(String service) {
    return field(8, field(1, service.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] field(int number, byte[] value) {
    return concat(new byte[] {(byte) (number << 3 | 2), (byte) value.length}, value);
  }

  static byte[] fixed64(int number, long v) {
    byte[] out = new byte[9];
    out[0] = (byte) (number << 3 | 1);
    for (int i = 0; i < 8; i++) {
      out[i + 1] = (byte) (v >>> (8 * i));
    }
    return out;
  }

  static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
