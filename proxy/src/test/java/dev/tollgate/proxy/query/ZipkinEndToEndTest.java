package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.reporter.okhttp3.OkHttpSender;

/**
 * End to end against a real Zipkin server: the OpenTelemetry SDK's Zipkin exporter sends spans of
 * several services through Tollgate into Zipkin, then callers with different roles query Zipkin
 * through Tollgate and see exactly their services.
 */
class ZipkinEndToEndTest {
  @TempDir static Path dir;
  static ZipkinServer zipkin;
  static QueryFixture removing;
  static QueryFixture redacting;
  /** Trace ids by name: mixed (checkout, payments, cart-api), payments (alone), checkout (alone). */
  static final Map<String, String> traces = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    zipkin = ZipkinServer.shared();
    removing = new QueryFixture(Files.createDirectories(dir.resolve("remove")), zipkin.url(), zipkin.url(),
        "http://127.0.0.1:9/{tenant}", "remove");
    redacting = new QueryFixture(Files.createDirectories(dir.resolve("redact")), zipkin.url(), zipkin.url(),
        "http://127.0.0.1:9/{tenant}", "redact");
    sendSpans();
  }

  @AfterAll
  static void stop() throws Exception {
    removing.close();
    redacting.close();
  }

  /** Three traces through Tollgate with the real exporter; ledger is not the mesh's to write. */
  private static void sendSpans() throws Exception {
    String token = removing.client("mesh");
    var sdk = new HashMap<String, SdkTracerProvider>();
    for (String service : List.of("checkout", "payments", "cart-api", "ledger")) {
      sdk.put(service, SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
          .addSpanProcessor(SimpleSpanProcessor.create(exporter(token)))
          .build());
    }
    Span root = sdk.get("checkout").get("t").spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER)
        .setAttribute("order.id", "o-1").startSpan();
    Context ctx = Context.root().with(root);
    sdk.get("payments").get("t").spanBuilder("charge card").setParent(ctx).setSpanKind(SpanKind.SERVER)
        .setAttribute("card.last4", "4111").startSpan().end();
    sdk.get("cart-api").get("t").spanBuilder("GET /cart").setParent(ctx).startSpan().end();
    sdk.get("ledger").get("t").spanBuilder("ledger write").setParent(ctx).startSpan().end();
    root.end();
    traces.put("mixed", root.getSpanContext().getTraceId());
    Span refund = sdk.get("payments").get("t").spanBuilder("refund").startSpan();
    refund.end();
    traces.put("payments", refund.getSpanContext().getTraceId());
    Span cart = sdk.get("cart-api").get("t").spanBuilder("GET /cart/items").startSpan();
    cart.end();
    traces.put("cart", cart.getSpanContext().getTraceId());
    for (SdkTracerProvider p : sdk.values()) {
      p.forceFlush().join(10, TimeUnit.SECONDS);
      p.shutdown().join(10, TimeUnit.SECONDS);
    }
    awaitStored(traces.get("mixed"), 3);
  }

  /** The SDK's Zipkin exporter, gzip on (the sender's default), sending the mesh's token. */
  private static ZipkinSpanExporter exporter(String token) {
    OkHttpSender.Builder sender = OkHttpSender.newBuilder().endpoint(removing.url("/projects/shop/api/v2/spans"));
    sender.clientBuilder().addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
        .header("Authorization", "Bearer " + token).build()));
    return ZipkinSpanExporter.builder().setSender(sender.build()).build();
  }

  private static void awaitStored(String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String r = zipkin.get("/api/v2/trace/" + traceId);
      if (r.startsWith("200 ") && new JsonArray(r.substring(4)).size() >= spans) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Zipkin did not store trace " + traceId);
  }

  static JsonArray array(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonArray(r.body());
  }

  static List<String> services(JsonArray spans) {
    return spans.stream().map(s -> ((JsonObject) s).getJsonObject("localEndpoint"))
        .map(e -> e == null ? null : e.getString("serviceName")).sorted().collect(Collectors.toList());
  }

  @Test
  void spansOfPermittedServicesReachZipkinAndTheRestAreDropped() throws Exception {
    String direct = zipkin.get("/api/v2/services");
    assertThat(direct).contains("checkout", "payments", "cart-api").doesNotContain("ledger");
    assertThat(services(new JsonArray(zipkin.get("/api/v2/trace/" + traces.get("mixed")).substring(4))))
        .containsExactly("cart-api", "checkout", "payments");
    List<JsonObject> ingest = Files.readAllLines(dir.resolve("remove/audit.jsonl")).stream().map(JsonObject::new)
        .filter(e -> "/projects/shop/api/v2/spans".equals(e.getString("path"))).toList();
    JsonObject ledger = ingest.stream().filter(e -> e.getJsonObject("rejected") != null).findFirst().orElseThrow();
    assertThat(ledger.getInteger("status")).isEqualTo(403);
    assertThat(ledger.getJsonObject("rejected").getInteger("ledger")).isEqualTo(1);
    assertThat(ingest).allSatisfy(e -> assertThat(e.getString("action")).isEqualTo("write"));
  }

  @Test
  void eachCallerListsExactlyTheirServices() throws Exception {
    assertThat(array(removing.get("alice", "/projects/shop/api/v2/services"))).containsExactly("cart-api", "checkout");
    assertThat(array(removing.get("bob", "/projects/shop/api/v2/services"))).containsExactly("payments");
    assertThat(array(removing.get("carol", "/projects/shop/api/v2/services")))
        .containsExactly("cart-api", "checkout", "payments");
    HttpResponse<String> dave = removing.get("dave", "/projects/shop/api/v2/services");
    assertThat(dave.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(dave.body()).getString("error")).contains("no role");
  }

  @Test
  void searchReturnsOnlyPermittedSpansAndTraces() throws Exception {
    String window = "&endTs=" + (System.currentTimeMillis() + 60_000) + "&lookback=3600000&limit=50";
    HttpResponse<String> r = removing.get("alice", "/api/v2/traces?serviceName=checkout" + window,
        "X-Tollgate-Project", "shop");
    JsonArray found = array(r);
    assertThat(found).hasSize(1);
    assertThat(services(found.getJsonArray(0))).containsExactly("cart-api", "checkout");
    assertThat(r.body()).doesNotContain("charge card").doesNotContain("card.last4");
    JsonArray all = array(removing.get("alice", "/projects/shop/api/v2/traces?" + window.substring(1)));
    assertThat(all.stream().flatMap(t -> services((JsonArray) t).stream())).doesNotContain("payments");
    assertThat(all.stream().map(t -> ((JsonArray) t).getJsonObject(0).getString("traceId")))
        .doesNotContain(traces.get("payments"));
    JsonObject query = removing.audit(r).getJsonObject("query");
    assertThat(query.getString("backend")).isEqualTo("zipkin");
    assertThat(query.getJsonArray("services")).containsExactly("checkout");
    assertThat(query.getJsonObject("spans").getInteger("removed")).isEqualTo(1);
    assertThat(query.getJsonArray("trace_ids")).containsExactly(traces.get("mixed"));
  }

  /** Without serviceName Zipkin tests span filters against every service's spans: a yes/no oracle. */
  @Test
  void spanFiltersNeedAServiceNameTheCallerMayRead() throws Exception {
    String window = "&endTs=" + (System.currentTimeMillis() + 60_000) + "&lookback=3600000&limit=50";
    String oracle = "annotationQuery=card.last4%3D4111";
    assertThat(zipkin.get("/api/v2/traces?" + oracle + window)).as("Zipkin matches the payments span's tag")
        .startsWith("200 ").contains(traces.get("mixed"));
    for (String filter : List.of(oracle, "spanName=charge%20card", "minDuration=1")) {
      HttpResponse<String> r = removing.get("alice", "/projects/shop/api/v2/traces?" + filter + window);
      assertThat(r.statusCode()).as(filter).isEqualTo(403);
      assertThat(new JsonObject(r.body()).getString("error")).contains("serviceName you may read");
      assertThat(removing.audit(r).getJsonObject("query").getJsonObject("tags")).isNotEmpty();
    }
    assertThat(array(removing.get("alice", "/projects/shop/api/v2/traces?serviceName=checkout&" + oracle + window)))
        .as("checkout's own spans do not carry the tag").isEmpty();
    JsonArray everything = array(removing.get("carol", "/projects/shop/api/v2/traces?" + oracle + window));
    assertThat(everything.stream().map(t -> ((JsonArray) t).getJsonObject(0).getString("traceId")))
        .contains(traces.get("mixed"));
  }

  @Test
  void namingAForbiddenServiceIs403AndATraceWithNoPermittedSpanIs404() throws Exception {
    HttpResponse<String> r = removing.get("alice", "/projects/shop/api/v2/spans?serviceName=payments");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("error")).contains("\"payments\"");
    assertThat(removing.get("alice", "/projects/shop/api/v2/trace/" + traces.get("payments")).statusCode())
        .isEqualTo(404);
    assertThat(array(removing.get("bob", "/projects/shop/api/v2/trace/" + traces.get("payments")))).hasSize(1);
  }

  @Test
  void traceByIdRemovesOrRedactsForbiddenSpans() throws Exception {
    String path = "/projects/shop/api/v2/trace/" + traces.get("mixed");
    assertThat(services(array(removing.get("alice", path)))).containsExactly("cart-api", "checkout");
    HttpResponse<String> r = redacting.get("alice", path);
    JsonArray spans = array(r);
    assertThat(spans).hasSize(3);
    JsonObject redacted = spans.stream().map(s -> (JsonObject) s)
        .filter(s -> !s.containsKey("localEndpoint")).findFirst().orElseThrow();
    assertThat(redacted.fieldNames()).containsExactlyInAnyOrder("traceId", "parentId", "id", "timestamp", "duration");
    assertThat(r.body()).doesNotContain("payments").doesNotContain("charge card").doesNotContain("card.last4");
    assertThat(r.headers().firstValue("x-tollgate-spans-redacted")).hasValue("1");
  }

  @Test
  void manyTracesAndDependenciesAreFiltered() throws Exception {
    JsonArray many = array(removing.get("bob", "/projects/shop/api/v2/traceMany?traceIds="
        + traces.get("mixed") + "," + traces.get("cart")));
    assertThat(many).hasSize(1);
    assertThat(services(many.getJsonArray(0))).containsExactly("payments");
    JsonArray links = array(removing.get("alice", "/projects/shop/api/v2/dependencies?endTs="
        + (System.currentTimeMillis() + 60_000) + "&lookback=3600000"));
    assertThat(links.encode()).doesNotContain("payments");
    JsonArray allLinks = array(removing.get("carol", "/projects/shop/api/v2/dependencies?endTs="
        + (System.currentTimeMillis() + 60_000) + "&lookback=3600000"));
    assertThat(allLinks.encode()).contains("payments");
  }
}
