package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.Action;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.audit.QueryAudit;
import dev.tollgate.proxy.ingest.MalformedPayloadException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming Zipkin filter: what it copies, removes and redacts, what it refuses to decide, and,
 * over generated answers, that it keeps exactly the spans a decoded reading of the answer permits.
 */
class ZipkinTracesTest {
  private static final Policy POLICY = Policy.parse(Map.of("p.yaml", String.join("\n",
      "roles: [{name: r, rules: [{actions: [read], projects: [shop], services: [checkout, \"cart-*\"]}]}]",
      "bindings: [{role: r, users: [alice]}]")), Set.of("shop"), Set.of("corp"));
  private static final TraceScope REMOVE = scope(false);
  private static final TraceScope REDACT = scope(true);

  private static TraceScope scope(boolean redact) {
    return new TraceScope(POLICY.grant(new Identity("corp", "alice", null, Set.of()), Action.READ, "shop",
        Signal.TRACES), true, redact);
  }

  private static String span(String id, String service) {
    return "{\"traceId\":\"t-" + id + "\",\"id\":\"" + id + "\",\"name\":\"get\",\"timestamp\":10,\"duration\":5,"
        + "\"localEndpoint\":{\"serviceName\":\"" + service + "\",\"ipv4\":\"10.0.0.1\"},"
        + "\"tags\":{\"secret\":\"of " + service + "\"}}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Buffer b) {
    return b == null ? null : b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void permittedSpansAreCopiedByteForByteAndTheOthersRemoved() {
    String odd = "{ \"localEndpoint\" : { \"serviceName\" : \"cart-\\u0031\" } ,\n \"id\" : \"b\", \"n\": 1.50e3 }";
    String answer = "[[" + span("f", "payments") + ", " + span("a", "checkout") + " ,\t" + odd + "],"
        + "[" + span("g", "ledger") + "]]";
    QueryTally tally = new QueryTally("zipkin", 5);

    String out = text(ZipkinTraces.traces(utf8(answer), REMOVE, tally));

    assertThat(out).isEqualTo("[[" + span("a", "checkout") + "," + odd + "]]");
    QueryAudit audit = tally.audit();
    assertThat(audit.tracesReturned()).isEqualTo(1);
    assertThat(audit.tracesRemoved()).isEqualTo(1);
    assertThat(audit.spansReturned()).isEqualTo(2);
    assertThat(audit.spansRemoved()).isEqualTo(2);
    assertThat(audit.spansRedacted()).isZero();
    assertThat(audit.traceIds()).as("the first permitted span's").containsExactly("t-a");
  }

  @Test
  void redactionKeepsOnlyScalarIdsAndTimingInAFixedOrder() {
    String forbidden = "{\"duration\":5,\"name\":\"pay\",\"id\":\"f\",\"traceId\":\"t1\",\"parentId\":{\"leak\":1},"
        + "\"timestamp\" : 10 ,\"shared\":true,\"localEndpoint\":{\"serviceName\":\"payments\"},\"id\":\"f2\"}";
    String answer = "[" + span("a", "checkout") + "," + forbidden + "]";
    QueryTally tally = new QueryTally("zipkin", 5);

    String out = text(ZipkinTraces.trace(utf8(answer), REDACT, tally));

    assertThat(out).isEqualTo("[" + span("a", "checkout")
        + ",{\"traceId\":\"t1\",\"id\":\"f2\",\"timestamp\":10,\"duration\":5,\"shared\":true}]");
    assertThat(tally.audit().spansRedacted()).isEqualTo(1);
    assertThat(tally.audit().spansReturned()).isEqualTo(2);
  }

  @Test
  void aTraceWithNoPermittedSpanIsNotFoundEvenWhenRedacting() {
    String answer = "[" + span("f", "payments") + "," + span("g", "ledger") + "]";
    QueryTally tally = new QueryTally("zipkin", 5);

    assertThat(ZipkinTraces.trace(utf8(answer), REDACT, tally)).isNull();
    assertThat(tally.audit().tracesRemoved()).isEqualTo(1);
    assertThat(tally.audit().spansRemoved()).isEqualTo(2);
    assertThat(text(ZipkinTraces.traces(utf8("[" + answer + "]"), REDACT, new QueryTally("zipkin", 5))))
        .isEqualTo("[]");
  }

  @Test
  void serviceNamesAreFoldedAsZipkinStoresThem() {
    String answer = "[" + span("a", "CheckOut") + "]";
    assertThat(text(ZipkinTraces.trace(utf8(answer), REMOVE, new QueryTally("zipkin", 5)))).isEqualTo(answer);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"id\":\"x\"}",
      "{\"localEndpoint\":null}",
      "{\"localEndpoint\":{\"ipv4\":\"10.0.0.1\"}}",
      "{\"localEndpoint\":{\"serviceName\":7}}",
      "{\"localEndpoint\":{\"serviceName\":[\"checkout\"]}}",
      "{\"localEndpoint\":{\"serviceName\":\"checkout\"},\"localEndpoint\":{\"serviceName\":\"checkout\"}}",
      "{\"localEndpoint\":{\"serviceName\":\"payments\"},\"localEndpoint\":{\"serviceName\":\"checkout\"}}",
      "{\"localEndpoint\":{\"serviceName\":\"checkout\",\"serviceName\":\"payments\"}}",
      "{\"localEndpoint\":{\"serviceName\":\"checkout\",\"service\\u004eame\":\"payments\"}}",
      "{\"remoteEndpoint\":{\"serviceName\":\"checkout\"}}",
      "[\"checkout\"]",
      "\"checkout\"",
      "null"})
  void aSpanThatDoesNotNameOnePermittedServiceIsNeverShown(String suspect) {
    String answer = "[" + span("a", "checkout") + "," + suspect + "]";
    QueryTally tally = new QueryTally("zipkin", 5);

    assertThat(text(ZipkinTraces.trace(utf8(answer), REMOVE, tally))).isEqualTo("[" + span("a", "checkout") + "]");
    assertThat(tally.audit().spansRemoved()).isEqualTo(1);
  }

  @Test
  void anythingButAListOfTracesFiltersToAnEmptyList() {
    for (String answer : List.of("{}", "7", "\"x\"", "[7, {\"a\":1}, \"s\", null]", "[]")) {
      assertThat(text(ZipkinTraces.traces(utf8(answer), REMOVE, new QueryTally("zipkin", 5)))).as(answer)
          .isEqualTo("[]");
    }
    assertThat(ZipkinTraces.trace(utf8("{\"spans\":[]}"), REMOVE, new QueryTally("zipkin", 5))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[[", "[[{\"id\":1}]", "[[]] []", "[[]],", "[[{\"id\":}]]", "[[{id:1}]]", "nul"})
  void anAnswerThatIsNotOneJsonValueIsRefused(String answer) {
    assertThatThrownBy(() -> ZipkinTraces.traces(utf8(answer), REMOVE, new QueryTally("zipkin", 5)))
        .isInstanceOf(MalformedPayloadException.class);
  }

  /**
   * Spans that readers could decode differently: a deciding name or the service in overlong UTF-8
   * or with a lone surrogate, or invalid UTF-8 anywhere in a span that would be copied. Each is
   * withheld, and the rest of the answer is served.
   */
  @Test
  void aSpanThatReadersCouldDecodeDifferentlyIsNeverShown() {
    byte[][] suspects = {
        bytes("{\"localEndpoint\":{\"serviceName\":\"checkou", new byte[] {(byte) 0xC1, (byte) 0xB4}, "\"}}"),
        bytes("{\"localEndpoint\":{\"service", new byte[] {(byte) 0xC1, (byte) 0x8E}, "ame\":\"checkout\"}}"),
        bytes("{\"local", new byte[] {(byte) 0xC1, (byte) 0x85}, "ndpoint\":{\"serviceName\":\"checkout\"}}"),
        utf8("{\"localEndpoint\":{\"serviceName\":\"checkout\\ud800\"}}"),
        utf8("{\"localEndpoint\":{\"service\\udc00Name\":\"checkout\"}}"),
        bytes("{\"localEndpoint\":{\"serviceName\":\"checkout\"},\"localEndpoin",
            new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x81, (byte) 0xB4}, "\":{\"serviceName\":\"payments\"}}"),
        bytes("{\"localEndpoint\":{\"serviceName\":\"checkout\"},\"tags\":{\"k\":\"", new byte[] {(byte) 0xED,
            (byte) 0xA0, (byte) 0x80}, "\"}}")};
    for (byte[] suspect : suspects) {
      byte[] answer = bytes("[" + span("a", "checkout") + ",", suspect, "]");
      QueryTally tally = new QueryTally("zipkin", 5);

      assertThat(text(ZipkinTraces.trace(answer, REDACT, tally))).as(new String(suspect, StandardCharsets.UTF_8))
          .isEqualTo("[" + span("a", "checkout") + ",{}]");
      assertThat(tally.audit().spansRedacted()).isEqualTo(1);
    }
  }

  @Test
  void anAnswerInAnotherUnicodeEncodingIsRefused() {
    byte[] utf16 = ("[" + span("a", "checkout") + "]").getBytes(StandardCharsets.UTF_16BE);
    assertThatThrownBy(() -> ZipkinTraces.traces(utf16, REMOVE, new QueryTally("zipkin", 5)))
        .isInstanceOf(MalformedPayloadException.class).hasMessage("JSON is not UTF-8");
  }

  private static byte[] bytes(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(before));
    out.writeBytes(middle);
    out.writeBytes(utf8(after));
    return out.toByteArray();
  }

  /**
   * Generated answers, compact and pretty: the filter's output, decoded, equals what a decoded
   * reading of the answer permits, span by span, and the tally agrees.
   */
  @Test
  void keepsExactlyWhatADecodedReadingPermits() {
    Random random = new Random(20261121);
    String[] services = {"checkout", "cart-7", "CART-x", "payments", "ledger", "cartx"};
    for (int round = 0; round < 300; round++) {
      JsonArray traces = new JsonArray();
      for (int t = random.nextInt(4); t > 0; t--) {
        JsonArray trace = new JsonArray();
        for (int s = random.nextInt(6); s > 0; s--) {
          JsonObject span = new JsonObject().put("traceId", "t" + t + "." + s).put("id", "s" + s).put("name", "op")
              .put("timestamp", random.nextLong()).put("duration", random.nextInt(1000))
              .put("tags", new JsonObject().put("k", "v"));
          if (random.nextInt(8) > 0) {
            span.put("localEndpoint", new JsonObject().put("serviceName", services[random.nextInt(services.length)]));
          }
          if (random.nextBoolean()) {
            span.put("parentId", "p");
          }
          if (random.nextInt(4) == 0) {
            span.put("shared", random.nextBoolean());
          }
          trace.add(span);
        }
        traces.add(trace);
      }
      boolean redact = random.nextBoolean();
      TraceScope scope = redact ? REDACT : REMOVE;
      QueryTally tally = new QueryTally("zipkin", 50);
      String answer = random.nextBoolean() ? traces.encodePrettily() : traces.encode();

      JsonArray out = new JsonArray(ZipkinTraces.traces(utf8(answer), scope, tally));

      QueryTally expectedTally = new QueryTally("zipkin", 50);
      assertThat(out).as(answer).isEqualTo(expected(traces, scope, expectedTally));
      assertThat(tally.audit()).isEqualTo(expectedTally.audit());
    }
  }

  /** The reference reading: decoded spans, decided one by one. */
  private static JsonArray expected(JsonArray traces, TraceScope scope, QueryTally tally) {
    JsonArray out = new JsonArray();
    for (Object t : traces) {
      JsonArray trace = (JsonArray) t;
      JsonArray kept = new JsonArray();
      int permitted = 0;
      String traceId = null;
      for (Object o : trace) {
        JsonObject span = (JsonObject) o;
        JsonObject endpoint = span.getJsonObject("localEndpoint");
        if (endpoint != null && scope.permits(endpoint.getString("serviceName"))) {
          permitted++;
          kept.add(span);
          traceId = traceId == null ? span.getString("traceId") : traceId;
        } else if (scope.redact()) {
          JsonObject r = new JsonObject();
          for (String field : List.of("traceId", "parentId", "id", "timestamp", "duration", "shared")) {
            if (span.containsKey(field)) {
              r.put(field, span.getValue(field));
            }
          }
          kept.add(r);
        }
      }
      if (permitted == 0) {
        tally.traceRemoved(trace.size());
      } else {
        tally.traceReturned(traceId, kept.size(), trace.size() - kept.size(), kept.size() - permitted);
        out.add(kept);
      }
    }
    return out;
  }
}
