package dev.tollgate.proxy.query;

import dev.tollgate.proxy.Tollgate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jaeger and Tempo adapters against answers recorded in the backends' documented formats,
 * served by a fake backend on loopback; traces mix permitted and forbidden services.
 */
class JaegerTempoQueryTest {
  static final String TEMPO = "/t/tempo-tenant";
  @TempDir static Path dir;
  static Vertx vertx;
  static FakeBackend jaeger;
  static FakeBackend tempo;
  static QueryFixture removing;
  static QueryFixture redacting;

  @BeforeAll
  static void start() throws Exception {
    vertx = Tollgate.newVertx(new VertxOptions());
    jaeger = new FakeBackend(vertx)
        .answer("/api/services", "jaeger/services.json")
        .answer("/api/services/checkout/operations", "jaeger/operations.json")
        .answer("/api/traces", "jaeger/search.json")
        .answer("/api/traces/5b8efff798038103d269b633813fc60c", "jaeger/trace-mixed.json")
        .answer("/api/traces/1234567890abcdef1234567890abcdef", "jaeger/trace-payments.json")
        .answer("/api/dependencies", "jaeger/dependencies.json");
    tempo = new FakeBackend(vertx)
        .answer(TEMPO + "/api/search", "tempo/search.json")
        .answer(TEMPO + "/api/traces/5b8efff798038103d269b633813fc60c", "tempo/trace-v1.json")
        .answer(TEMPO + "/api/v2/traces/5b8efff798038103d269b633813fc60c", "tempo/trace-v2.json")
        .answer(TEMPO + "/api/traces/1234567890abcdef1234567890abcdef", "tempo/trace-payments.json")
        .answer(TEMPO + "/api/search/tags", "tempo/tags.json")
        .answer(TEMPO + "/api/search/tag/service.name/values", "tempo/tag-values-service.json")
        .answer(TEMPO + "/api/search/tag/account.id/values", "tempo/tag-values-account.json");
    String j = "http://127.0.0.1:" + jaeger.port();
    String t = "http://127.0.0.1:" + tempo.port() + "/t/{tenant}";
    removing = new QueryFixture(Files.createDirectories(dir.resolve("remove")), j, j, t, "remove");
    redacting = new QueryFixture(Files.createDirectories(dir.resolve("redact")), j, j, t, "redact");
  }

  @AfterAll
  static void stop() throws Exception {
    removing.close();
    redacting.close();
    jaeger.close();
    tempo.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    jaeger.reset();
    tempo.reset();
  }

  static JsonObject json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void jaegerServicesAndDependenciesListOnlyPermittedServices() throws Exception {
    JsonObject services = json(removing.get("alice", "/projects/jaeger/api/services"));
    assertThat(services.getJsonArray("data")).containsExactly("cart-api", "checkout");
    assertThat(services.getInteger("total")).isEqualTo(2);
    assertThat(json(removing.get("bob", "/projects/jaeger/api/services")).getJsonArray("data"))
        .containsExactly("payments");
    JsonArray links = json(removing.get("alice", "/projects/jaeger/api/dependencies?endTs=1&lookback=2"))
        .getJsonArray("data");
    assertThat(links).hasSize(1);
    assertThat(links.getJsonObject(0).getString("child")).isEqualTo("cart-api");
    assertThat(jaeger.last().headers().get("x-scope-orgid")).isEqualTo("jaeger");
  }

  @Test
  void jaegerOperationsAndSearchRefuseAForbiddenServiceWithTheReason() throws Exception {
    assertThat(json(removing.get("alice", "/projects/jaeger/api/services/checkout/operations"))
        .getJsonArray("data")).contains("GET /cart");
    HttpResponse<String> ops = removing.get("alice", "/projects/jaeger/api/services/payments/operations");
    assertThat(ops.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(ops.body()).getString("error")).contains("payments").contains("checkout-reader");
    HttpResponse<String> search = removing.get("alice", "/projects/jaeger/api/traces?service=payments&limit=20");
    assertThat(search.statusCode()).isEqualTo(403);
    assertThat(jaeger.seen()).hasSize(1);
    JsonObject event = removing.audit(search);
    assertThat(event.getString("decision")).isEqualTo("deny");
    assertThat(event.getJsonObject("query").getJsonArray("services")).containsExactly("payments");
  }

  @Test
  void jaegerTraceRemovesForbiddenSpansAndTheirProcesses() throws Exception {
    HttpResponse<String> r = removing.get("alice", "/projects/jaeger/api/traces/5b8efff798038103d269b633813fc60c");
    JsonObject trace = json(r).getJsonArray("data").getJsonObject(0);
    assertThat(trace.getJsonArray("spans")).extracting(s -> ((JsonObject) s).getString("operationName"))
        .containsExactly("POST /checkout", "GET /cart");
    assertThat(trace.getJsonObject("processes").fieldNames()).containsExactlyInAnyOrder("p1", "p3");
    assertThat(r.body()).doesNotContain("payments").doesNotContain("4111").doesNotContain("clock skew");
    assertThat(r.headers().firstValue("x-tollgate-spans-removed")).hasValue("1");
    JsonObject query = removing.audit(r).getJsonObject("query");
    assertThat(query.getString("backend")).isEqualTo("jaeger");
    assertThat(query.getJsonObject("spans").getInteger("removed")).isEqualTo(1);
    assertThat(query.getJsonArray("trace_ids")).containsExactly("5b8efff798038103d269b633813fc60c");
  }

  @Test
  void jaegerTraceRedactionKeepsIdsParentLinksAndTimingOnly() throws Exception {
    HttpResponse<String> r = redacting.get("alice", "/projects/jaeger/api/traces/5b8efff798038103d269b633813fc60c");
    JsonObject trace = json(r).getJsonArray("data").getJsonObject(0);
    JsonObject charge = trace.getJsonArray("spans").getJsonObject(1);
    assertThat(charge.getString("spanID")).isEqualTo("9c1f2a7b3d4e5f60");
    assertThat(charge.getJsonArray("references").getJsonObject(0).getString("spanID")).isEqualTo("eee19b7ec3c1b173");
    assertThat(charge.getLong("startTime")).isEqualTo(1763700000000100L);
    assertThat(charge.getLong("duration")).isEqualTo(500L);
    assertThat(charge.getString("operationName")).isEmpty();
    assertThat(charge.getJsonArray("tags")).isEmpty();
    assertThat(charge.getJsonArray("logs")).isEmpty();
    assertThat(trace.getJsonObject("processes").getJsonObject(charge.getString("processID")).getString("serviceName"))
        .isEmpty();
    assertThat(r.body()).doesNotContain("payments").doesNotContain("4111").doesNotContain("charge card");
    assertThat(redacting.audit(r).getJsonObject("query").getJsonObject("spans").getInteger("redacted")).isEqualTo(1);
  }

  @Test
  void jaegerTraceOfForbiddenServicesOnlyIs404AndSearchDropsIt() throws Exception {
    assertThat(removing.get("alice", "/projects/jaeger/api/traces/1234567890abcdef1234567890abcdef").statusCode())
        .isEqualTo(404);
    assertThat(redacting.get("alice", "/projects/jaeger/api/traces/1234567890abcdef1234567890abcdef").statusCode())
        .isEqualTo(404);
    JsonObject search = json(removing.get("alice", "/projects/jaeger/api/traces?service=checkout&lookback=1h"));
    assertThat(search.getJsonArray("data")).hasSize(1);
    assertThat(search.getInteger("total")).isEqualTo(1);
    assertThat(json(removing.get("bob", "/projects/jaeger/api/traces?service=payments")).getJsonArray("data"))
        .hasSize(2);
  }

  @Test
  void tempoSearchWithProvenTraceQlIsSentAsCheckedAndFiltered() throws Exception {
    String q = "{ resource.service.name = \"checkout\" && span.http.status_code >= 500 } | select(span.http.url)";
    HttpResponse<String> r = removing.get("alice", "/projects/tempo/api/search?limit=20&q="
        + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8));
    JsonArray traces = json(r).getJsonArray("traces");
    FakeBackend.Seen seen = tempo.last();
    assertThat(seen.path()).isEqualTo(TEMPO + "/api/search");
    assertThat(java.net.URLDecoder.decode(seen.query(), java.nio.charset.StandardCharsets.UTF_8)).contains("q=" + q);
    assertThat(seen.headers().get("x-scope-orgid")).isEqualTo("tempo-tenant");
    assertThat(traces).extracting(t -> ((JsonObject) t).getString("traceID"))
        .containsExactly("2f3e0cee77ae5dc9c17ade3689eb2e54", "d6e9329d67b6146a", "aaaabbbbccccdddd");
    JsonObject settlement = traces.getJsonObject(1);
    assertThat(settlement.getString("rootServiceName")).isEmpty();
    assertThat(settlement.getString("rootTraceName")).isEmpty();
    assertThat(settlement.getJsonObject("serviceStats").fieldNames()).containsExactly("checkout");
    assertThat(settlement.getJsonArray("spanSets").getJsonObject(0).getJsonArray("spans")).hasSize(1);
    assertThat(r.body()).doesNotContain("payments").doesNotContain("nightly settlement");
    assertThat(removing.audit(r).getJsonObject("query").getString("traceql")).isEqualTo(q);
  }

  @Test
  void tempoSearchWithoutQueryDropsUnattributableMatchedSpans() throws Exception {
    JsonArray traces = json(removing.get("alice", "/projects/tempo/api/search")).getJsonArray("traces");
    assertThat(traces).hasSize(3);
    assertThat(traces.getJsonObject(0).containsKey("spanSets")).isFalse();
    assertThat(traces.getJsonObject(2).getJsonArray("spanSets")).hasSize(1);
  }

  @Test
  void tempoRefusesTraceQlItCannotProveAndNeverSendsIt() throws Exception {
    HttpResponse<String> r = removing.get("alice", "/projects/tempo/api/search?q=%7B%20span.http.method%20%3D%20%22GET%22%20%7D");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("error")).contains("resource.service.name");
    assertThat(tempo.seen()).isEmpty();
    assertThat(json(removing.get("carol", "/projects/tempo/api/search?q=%7B%20span.http.method%20%3D%20%22GET%22%20%7D"))
        .getJsonArray("traces")).hasSize(4);
  }

  @Test
  void tempoTracesByIdV1AndV2KeepPermittedResourcesOnly() throws Exception {
    for (String path : List.of("/api/traces/", "/api/v2/traces/")) {
      HttpResponse<String> r = removing.get("alice", "/projects/tempo" + path + "5b8efff798038103d269b633813fc60c");
      JsonObject body = json(r);
      JsonArray batches = path.contains("v2") ? body.getJsonObject("trace").getJsonArray("resourceSpans")
          : body.getJsonArray("batches");
      assertThat(batches).hasSize(1);
      assertThat(r.body()).doesNotContain("payments").doesNotContain("ambiguous").doesNotContain("4111");
      assertThat(r.headers().firstValue("x-tollgate-spans-removed")).hasValue("3");
    }
    assertThat(removing.get("alice", "/projects/tempo/api/traces/1234567890abcdef1234567890abcdef").statusCode())
        .isEqualTo(404);
  }

  @Test
  void tempoRedactionBlanksResourceNamesAttributesAndEvents() throws Exception {
    HttpResponse<String> r = redacting.get("alice", "/projects/tempo/api/traces/5b8efff798038103d269b633813fc60c");
    JsonArray batches = json(r).getJsonArray("batches");
    assertThat(batches).hasSize(3);
    JsonObject charge = batches.getJsonObject(1).getJsonArray("scopeSpans").getJsonObject(0).getJsonArray("spans")
        .getJsonObject(0);
    assertThat(charge.fieldNames()).containsExactlyInAnyOrder("traceId", "spanId", "parentSpanId",
        "startTimeUnixNano", "endTimeUnixNano", "name");
    assertThat(charge.getString("parentSpanId")).isEqualTo("7uGbfsPBsXM=");
    assertThat(charge.getString("name")).isEmpty();
    assertThat(batches.getJsonObject(1).getJsonObject("resource").getJsonArray("attributes")).isEmpty();
    assertThat(r.body()).doesNotContain("payments").doesNotContain("4111").doesNotContain("charge card");
  }

  @Test
  void tempoTagValuesFilterServicesAndWithholdWhatCannotBeAttributed() throws Exception {
    assertThat(json(removing.get("alice", "/projects/tempo/api/search/tag/service.name/values"))
        .getJsonArray("tagValues")).containsExactly("cart-api", "checkout");
    assertThat(json(removing.get("alice", "/projects/tempo/api/search/tag/account.id/values"))
        .getJsonArray("tagValues")).isEmpty();
    assertThat(json(removing.get("carol", "/projects/tempo/api/search/tag/account.id/values"))
        .getJsonArray("tagValues")).containsExactly("acct-991", "acct-992");
    assertThat(json(removing.get("alice", "/projects/tempo/api/search/tags")).getJsonArray("tagNames"))
        .contains("service.name");
  }

  @Test
  void unknownBackendPathsAreRefusedNotPassedThrough() throws Exception {
    for (String path : List.of("/projects/tempo/api/echo", "/projects/tempo/api/metrics/query_range",
        "/projects/jaeger/api/operations", "/projects/jaeger/api/v3/traces", "/projects/tempo/api/search/")) {
      assertThat(removing.get("carol", path).statusCode()).as(path).isEqualTo(403);
    }
    assertThat(jaeger.seen()).isEmpty();
    assertThat(tempo.seen()).isEmpty();
  }

  @Test
  void callerWithoutReadRightsIs403() throws Exception {
    HttpResponse<String> r = removing.get("dave", "/projects/jaeger/api/services");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(removing.get(null, "/projects/jaeger/api/services").statusCode()).isEqualTo(401);
    assertThat(jaeger.seen()).isEmpty();
  }
}
