package dev.tollgate.proxy.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuditJsonTest {
  private static final Instant T = Instant.parse("2026-11-22T04:05:06.789Z");

  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final AuditJson json = new AuditJson(Channels.newChannel(sink));

  private static AuditEvent event(String path, String reason, Map<String, Integer> accepted, QueryAudit query,
      double latencyMs) {
    return new AuditEvent(T, "4f1c2a9e7b3d4c5e", "5b8efff798038103d269b633813fc60c", "shop-collector",
        "shop-collector", "https://idp.example/", List.of("shop-writers", "ops"), "127.0.0.1", "POST", path,
        "write", "shop", "traces", accepted, Map.of(), 0, "allow", "shop-writer/0", reason, "sha256:0123",
        200, 200, "static-file", null, query, latencyMs);
  }

  /** The lines written so far; fails unless they are well-formed UTF-8. */
  private List<String> lines() throws IOException {
    json.flush();
    String text = UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(sink.toByteArray())).toString();
    assertThat(text).endsWith("\n");
    return List.of(text.split("\n"));
  }

  @Test
  void anIngestEventIsOneCompactLineInTheDocumentedOrder() throws IOException {
    json.write(event("/projects/shop/v1/traces", "roles shop-writer grant write", Map.of("checkout", 1), null, 1.379));
    assertThat(lines()).containsExactly("{\"time\":\"2026-11-22T04:05:06.789Z\",\"request_id\":\"4f1c2a9e7b3d4c5e\","
        + "\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"caller\":{\"subject\":\"shop-collector\","
        + "\"client_id\":\"shop-collector\",\"issuer\":\"https://idp.example/\",\"groups\":[\"shop-writers\",\"ops\"]},"
        + "\"source\":\"127.0.0.1\",\"method\":\"POST\",\"path\":\"/projects/shop/v1/traces\",\"action\":\"write\","
        + "\"project\":\"shop\",\"signal\":\"traces\",\"accepted\":{\"checkout\":1},\"decision\":\"allow\","
        + "\"rule\":\"shop-writer/0\",\"reason\":\"roles shop-writer grant write\",\"policy_version\":\"sha256:0123\","
        + "\"status\":200,\"upstream_status\":200,\"credential\":\"static-file\",\"latency_ms\":1.379}");
  }

  @Test
  void absentValuesAreLeftOutNotWrittenAsNull() throws IOException {
    json.write(new AuditEvent(T, "r1", null, null, null, null, List.of(), "127.0.0.1", "GET", null, null, null, null,
        Map.of(), Map.of(), 0, "deny", null, "no bearer token", null, 401, 0, null, null, null, 0.25));
    assertThat(lines()).containsExactly("{\"time\":\"2026-11-22T04:05:06.789Z\",\"request_id\":\"r1\",\"caller\":{},"
        + "\"source\":\"127.0.0.1\",\"method\":\"GET\",\"decision\":\"deny\",\"reason\":\"no bearer token\","
        + "\"status\":401,\"latency_ms\":0.25}");
  }

  @Test
  void latencyIsTheShortestDecimalOfWholeMicroseconds() throws IOException {
    double[] in = {0, 0.0004, 0.0006, 0.05, 1, 3.1, 12.5, 1.309, 1.2346, 1.2344, 86_400_000.001, -2.5, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    String[] want = {"0.0", "0.0", "0.001", "0.05", "1.0", "3.1", "12.5", "1.309", "1.235", "1.234", "86400000.001", "-2.5",
        "0.0", "1000000000000.0", "-1000000000000.0"};
    for (double ms : in) {
      json.write(event("/", null, Map.of(), null, ms));
    }
    List<String> lines = lines();
    for (int i = 0; i < in.length; i++) {
      assertThat(lines.get(i)).as("%s ms", in[i]).endsWith(",\"latency_ms\":" + want[i] + "}");
      assertThat(new JsonObject(lines.get(i)).getDouble("latency_ms")).isEqualTo(Double.parseDouble(want[i]));
    }
  }

  @Test
  void everyStringReadsBackAsWrittenWhateverItHolds() throws IOException {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    List<String> values = new ArrayList<>(List.of("", "quote \" and backslash \\ and slash /", controls.toString(),
        "del \u007f", "é ß ø", "日本語のパス", "emoji \uD83D\uDE80 pair", "tab\tnew\nline\rcr\bbs\fff"));
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      StringBuilder v = new StringBuilder();
      for (int j = random.nextInt(40); j > 0; j--) {
        // mostly ASCII, then two-byte, three-byte (either side of the surrogates) and four-byte characters
        int pick = random.nextInt(12);
        v.appendCodePoint(pick < 6 ? random.nextInt(0x80) : pick < 8 ? 0x80 + random.nextInt(0x780)
            : pick < 9 ? 0x800 + random.nextInt(0xD800 - 0x800) : pick < 10 ? 0xE000 + random.nextInt(0x2000)
            : 0x10000 + random.nextInt(0x100000));
      }
      values.add(v.toString());
    }
    for (String v : values) {
      Map<String, Integer> accepted = new LinkedHashMap<>();
      accepted.put(v, 3);
      json.write(event(v, v, accepted, null, 1));
    }
    List<String> lines = lines();
    assertThat(lines).hasSize(values.size());
    for (int i = 0; i < values.size(); i++) {
      JsonObject e = new JsonObject(lines.get(i));
      String v = values.get(i);
      assertThat(e.getString("path")).isEqualTo(v);
      assertThat(e.getString("reason")).isEqualTo(v);
      assertThat(e.getJsonObject("accepted").getMap()).containsExactly(Map.entry(v, 3));
      assertThat(lines.get(i)).doesNotContain("\n", "\r", "\t");
    }
  }

  @Test
  void aLoneSurrogateIsWrittenAsTheReplacementCharacterNotAnError() throws IOException {
    json.write(event("/a\uD800b", "\uDC00 low first, high last \uD83D", Map.of(), null, 1));
    JsonObject e = new JsonObject(lines().get(0));
    assertThat(e.getString("path")).isEqualTo("/a\uFFFDb");
    assertThat(e.getString("reason")).isEqualTo("\uFFFD low first, high last \uFFFD");
  }

  @Test
  void aQueryEventCarriesItsQueryObject() throws IOException {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("spanName", "GET /cart");
    tags.put("http.status_code", "500");
    QueryAudit q = new QueryAudit("zipkin", List.of("checkout", "cart"), tags, "1700000000000", null, null, 2, 1,
        7, 3, 1, List.of("aa", "bb"), 3);
    json.write(event("/zipkin/api/v2/traces", null, Map.of(), q, 4));
    QueryAudit none = new QueryAudit("tempo", List.of(), Map.of(), null, null, "{ .x = 1 }", 0, 0, 0, 0, 0, List.of(), 4);
    json.write(event("/tempo/api/search", null, Map.of(), none, 4));
    List<String> lines = lines();
    assertThat(new JsonObject(lines.get(0)).getJsonObject("query")).isEqualTo(new JsonObject()
        .put("backend", "zipkin").put("services", new JsonArray().add("checkout").add("cart"))
        .put("tags", new JsonObject().put("spanName", "GET /cart").put("http.status_code", "500"))
        .put("start", "1700000000000")
        .put("traces", new JsonObject().put("returned", 2).put("removed", 1))
        .put("spans", new JsonObject().put("returned", 7).put("removed", 3).put("redacted", 1))
        .put("trace_ids", new JsonArray().add("aa").add("bb")).put("trace_ids_total", 3));
    assertThat(lines.get(1)).contains("\"query\":{\"backend\":\"tempo\",\"traceql\":\"{ .x = 1 }\","
        + "\"traces\":{\"returned\":0,\"removed\":0},\"spans\":{\"returned\":0,\"removed\":0,\"redacted\":0},"
        + "\"trace_ids\":[],\"trace_ids_total\":4},\"latency_ms\":4.0}");
  }

  @Test
  void linesLongerThanAChunkAndManyLinesAreWrittenWhole() throws IOException {
    String longReason = "r".repeat(3 * AuditJson.CHUNK) + "\"";
    json.write(event("/big", longReason, Map.of(), null, 1));
    assertThat(sink.size()).as("nothing is handed over before a flush").isZero();
    json.flush();
    assertThat(sink.size()).as("the whole line at the flush").isGreaterThan(3 * AuditJson.CHUNK);
    assertThat(json.capacity()).as("and the array is not kept").isLessThan(2 * AuditJson.CHUNK);
    for (int i = 0; i < 500; i++) {
      json.write(event("/n/" + i, null, Map.of(), null, 1));
    }
    List<String> lines = lines();
    assertThat(lines).hasSize(501);
    assertThat(json.written()).isEqualTo(501);
    assertThat(json.pending()).isZero();
    assertThat(new JsonObject(lines.get(0)).getString("reason")).isEqualTo(longReason);
    for (int i = 0; i < 500; i++) {
      assertThat(new JsonObject(lines.get(i + 1)).getString("path")).isEqualTo("/n/" + i);
    }
  }

  /**
   * A channel that fails part-way (a disk filling up) took some bytes: the next flush continues
   * from the first byte it did not take, so every line arrives once and whole, and the lines are
   * counted as written only when the channel took all of them.
   */
  @Test
  void aFlushTheChannelFailsPartWayContinuesWhereItStopped() throws IOException {
    // takes at most 700 bytes per call, and fails on its third call and its fifth
    DiskChannel disk = new DiskChannel((call, offered) -> {
      if (call == 3 || call == 5) {
        throw new IOException("No space left on device");
      }
      return Math.min(700, offered);
    });
    AuditJson json = new AuditJson(disk);
    for (int i = 0; i < 6; i++) {
      json.write(event("/n/" + i, null, Map.of(), null, 1));
    }
    int line = sinkLineLength();

    assertThatIOException().isThrownBy(json::flush);
    assertThat(disk.bytes()).as("two calls of 700 bytes").hasSize(1400);
    assertThat(json.written()).as("the lines that ended in them").isEqualTo(1400 / line);
    assertThat(json.pending()).isEqualTo(6 - 1400 / line);
    assertThat(json.buffered()).isEqualTo(6 * line - 1400);

    assertThatIOException().isThrownBy(json::flush);
    json.write(event("/n/6", null, Map.of(), null, 1));
    json.flush();

    String text = new String(disk.bytes(), UTF_8);
    assertThat(text).endsWith("\n");
    assertThat(List.of(text.split("\n"))).extracting(l -> new JsonObject(l).getString("path"))
        .containsExactly("/n/0", "/n/1", "/n/2", "/n/3", "/n/4", "/n/5", "/n/6");
    assertThat(json.written()).isEqualTo(7);
    assertThat(json.pending()).isZero();
    assertThat(json.buffered()).isZero();
  }

  /**
   * A backlog (lines held while the file failed, or one huge line) is handed over a chunk at a time,
   * so the direct buffer a file channel copies it through stays a chunk's size.
   */
  @Test
  void aBacklogIsHandedOverAChunkAtATime() throws IOException {
    int[] largest = {0};
    DiskChannel disk = new DiskChannel((call, offered) -> {
      largest[0] = Math.max(largest[0], offered);
      return offered;
    });
    AuditJson json = new AuditJson(disk);
    json.write(event("/big", "r".repeat(2 * AuditJson.CHUNK), Map.of(), null, 1));
    for (int i = 0; i < 300; i++) {
      json.write(event("/n/" + i, null, Map.of(), null, 1));
    }
    int gathered = json.buffered();
    json.flush();
    assertThat(disk.bytes()).hasSize(gathered);
    assertThat(largest[0]).isEqualTo(AuditJson.CHUNK);
    assertThat(json.written()).isEqualTo(301);
  }

  /** A destination that takes nothing (a non-blocking descriptor that would block) fails the flush, keeping every line. */
  @Test
  void aChannelThatTakesNothingFailsTheFlushInsteadOfSpinning() {
    AuditJson json = new AuditJson(new DiskChannel((call, offered) -> 0));
    json.write(event("/n/0", null, Map.of(), null, 1));
    int gathered = json.buffered();
    assertThatIOException().isThrownBy(json::flush).withMessageContaining("took no bytes");
    assertThat(json.buffered()).isEqualTo(gathered);
    assertThat(json.pending()).isEqualTo(1);
  }

  /** The length of one test event's line, path "/n/0" to "/n/9": written aside and measured. */
  private static int sinkLineLength() throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    AuditJson json = new AuditJson(Channels.newChannel(one));
    json.write(event("/n/0", null, Map.of(), null, 1));
    json.flush();
    return one.size();
  }

  @Test
  void anEventThatCannotBeWrittenLeavesNothingBehind() throws IOException {
    json.write(event("/first", null, Map.of(), null, 1));
    AuditEvent broken = new AuditEvent(T, "r2", null, "s", null, null, java.util.Arrays.asList("ok", null), "127.0.0.1",
        "POST", "/broken", null, null, null, Map.of(), Map.of(), 0, "allow", null, null, null, 200, 0, null, null, null, 1);
    org.assertj.core.api.Assertions.assertThatNullPointerException().isThrownBy(() -> json.write(broken));
    json.write(event("/third", null, Map.of(), null, 1));
    assertThat(lines()).extracting(l -> new JsonObject(l).getString("path")).containsExactly("/first", "/third");
  }

  /** An event whose shared members (caller, decision, credential) are all {@code v}. */
  private static AuditEvent sharedMembers(String v) {
    return new AuditEvent(T, "r", null, v, v, v, List.of("g"), "127.0.0.1", "POST", "/v1/traces", "write", "shop",
        "traces", Map.of(), Map.of(), 0, "allow", v, v, v, 200, 200, v, null, null, 1);
  }

  /** The line a writer that has written nothing before gives for {@code e}. */
  private static String alone(AuditEvent e) throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    AuditJson fresh = new AuditJson(Channels.newChannel(one));
    fresh.write(e);
    fresh.flush();
    return one.toString(UTF_8).stripTrailing();
  }

  @Test
  void aValueRepeatedFromTheLineBeforeIsWrittenAsItsOwnValue() throws IOException {
    String first = "roles shop-writer grant write";
    String equalCopy = new String(first.toCharArray());
    String sameLength = "roles shop-writer grant WRITE";
    String escaped = "quote \" and tab\t, caf\u00e9, \ud83d\ude00";
    String huge = "x".repeat(600);
    List<String> values = java.util.Arrays.asList(first, first, equalCopy, sameLength, first, escaped, escaped,
        null, first, huge, huge, "y".repeat(600), first, "", "", "Aa", "BB");
    List<AuditEvent> events = new ArrayList<>();
    for (String v : values) {
      events.add(sharedMembers(v));
    }
    List<String> expected = new ArrayList<>();
    for (AuditEvent e : events) {
      json.write(e);
      expected.add(alone(e));
    }
    assertThat(lines()).containsExactlyElementsOf(expected);
    assertThat(expected.get(3)).contains("\"reason\":\"roles shop-writer grant WRITE\"");
    assertThat(expected.get(7)).doesNotContain("\"reason\"");
  }

  @Test
  void memberNamesMustBePlain() {
    assertThat(AuditJson.name("status")).isEqualTo("\"status\":".getBytes(UTF_8));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> AuditJson.name("a\"b"));
  }
}
