package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend answers by size and shape: over {@code query.max_response} they are refused with a clear
 * 502; over {@link QueryForwarder#INLINE_FILTER} they are filtered on a worker thread, and must come
 * back exactly as filtered as small ones; one the filter cannot read is a 502 that quotes nothing
 * of it.
 */
class LargeAnswerTest {
  @TempDir static Path dir;
  static QueryFixture f;
  static FakeBackend backend;

  @BeforeAll
  static void start() throws Exception {
    f = QueryFixture.withFakeBackend(dir, "remove");
    backend = f.backend;
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void anAnswerOverMaxResponseIs502NamingTheSetting() throws Exception {
    JsonArray services = new JsonArray();
    for (int i = 0; i <= QueryFixture.MAX_RESPONSE / 1000; i++) {
      services.add("checkout-" + "x".repeat(1000) + i);
    }
    assertThat(services.encode().length()).isGreaterThan(QueryFixture.MAX_RESPONSE);
    backend.answerWith("/api/v2/dependencies", services.encode());
    HttpResponse<String> r = f.get("carol", "/projects/shop/api/v2/dependencies?endTs=1&lookback=2");
    assertThat(r.statusCode()).isEqualTo(502);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).contains("larger than " + QueryFixture.MAX_RESPONSE + " bytes")
        .contains("query.max_response").contains("narrow the query");
    assertThat(body.getString("request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    JsonObject event = f.audit(r);
    assertThat(event.getInteger("status")).isEqualTo(502);
    assertThat(event.getString("reason")).contains("query.max_response");
    assertThat(event.getJsonObject("query").getString("backend")).isEqualTo("zipkin");
  }

  @Test
  void anAnswerTheFilterCannotReadIs502AndQuotesNothingOfIt() throws Exception {
    String cut = tracesAnswer(1);
    String[][] answers = {
        {cut.substring(0, cut.length() - 40), "invalid JSON at byte"},
        {cut + " []", "more than one JSON value"}};
    for (String[] answer : answers) {
      backend.answerWith("/api/v2/traces", answer[0]);
      HttpResponse<String> r = f.get("alice", "/projects/shop/api/v2/traces?serviceName=checkout");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("error")).startsWith("the trace backend's answer cannot be read: ")
          .contains(answer[1]);
      assertThat(body.getString("request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(r.body()).doesNotContain("charge card");
      JsonObject event = f.audit(r);
      assertThat(event.getInteger("status")).isEqualTo(502);
      assertThat(event.getJsonObject("query").getJsonObject("traces").getInteger("returned"))
          .as("nothing was returned, whatever the filter counted before it failed").isZero();
    }
  }

  @Test
  void aSpanWhoseServiceReadsTwoWaysIsWithheldAndTheRestServed() throws Exception {
    String answer = tracesAnswer(1);
    String odd = "{\"traceId\":\"00000000000000000000000000000001\",\"id\":\"000000000000000e\","
        + "\"name\":\"charge card\",\"localEndpoint\":{\"serviceName\":\"checkout\\ud800\"}}";
    backend.answerWith("/api/v2/traces", answer.substring(0, answer.indexOf("]")) + "," + odd
        + answer.substring(answer.indexOf("]")));
    HttpResponse<String> r = f.get("alice", "/projects/shop/api/v2/traces?serviceName=checkout");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("charge card").doesNotContain("ud800").contains("POST /checkout");
    assertThat(r.headers().firstValue("x-tollgate-spans-removed")).hasValue("3");
  }

  @Test
  void anAnswerFilteredOffTheEventLoopIsFilteredAllTheSame() throws Exception {
    int mixed = 120;
    String answer = tracesAnswer(mixed);
    assertThat(answer.length()).isGreaterThan(QueryForwarder.INLINE_FILTER).isLessThan(QueryFixture.MAX_RESPONSE);
    backend.answerWith("/api/v2/traces", answer);
    HttpResponse<String> r = f.get("alice", "/projects/shop/api/v2/traces?serviceName=checkout&limit=1000");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray traces = new JsonArray(r.body());
    assertThat(traces).hasSize(mixed);
    assertThat(traces).allSatisfy(t -> assertThat(ZipkinEndToEndTest.services((JsonArray) t))
        .containsExactly("cart-api", "checkout"));
    assertThat(r.body()).doesNotContain("payments").doesNotContain("4111").doesNotContain("charge card");
    assertThat(r.headers().firstValue("x-tollgate-spans-removed")).hasValue(String.valueOf(mixed + 1));
    assertThat(r.headers().firstValue("x-tollgate-traces-removed")).hasValue("1");
    JsonObject query = f.audit(r).getJsonObject("query");
    assertThat(query.getJsonObject("traces").getInteger("returned")).isEqualTo(mixed);
    assertThat(query.getJsonObject("spans").getInteger("removed")).isEqualTo(mixed + 1);
  }

  /** Zipkin's /traces answer: {@code mixed} traces of checkout, payments and cart-api, then one of payments alone. */
  private static String tracesAnswer(int mixed) {
    JsonArray traces = new JsonArray();
    for (int i = 1; i <= mixed; i++) {
      String t = String.format("%032x", i);
      traces.add(new JsonArray()
          .add(span(t, "000000000000000a", null, "checkout", "POST /checkout"))
          .add(span(t, "000000000000000b", "000000000000000a", "payments", "charge card"))
          .add(span(t, "000000000000000c", "000000000000000a", "cart-api", "GET /cart")));
    }
    String alone = String.format("%032x", mixed + 1);
    return traces.add(new JsonArray().add(span(alone, "000000000000000d", null, "payments", "charge card"))).encode();
  }

  private static JsonObject span(String traceId, String id, String parentId, String service, String name) {
    JsonObject tags = new JsonObject().put("http.route", "/" + name.replace(' ', '-'));
    if (service.equals("payments")) {
      tags.put("card.number", "4111-1111-1111-1111");
    }
    JsonObject span = new JsonObject().put("traceId", traceId).put("id", id).put("name", name)
        .put("timestamp", 1_763_700_000_000_000L).put("duration", 500)
        .put("localEndpoint", new JsonObject().put("serviceName", service)).put("tags", tags);
    return parentId == null ? span : span.put("parentId", parentId);
  }
}
