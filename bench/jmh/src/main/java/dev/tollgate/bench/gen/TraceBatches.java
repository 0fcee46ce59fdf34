package dev.tollgate.bench.gen;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * OTLP trace export requests shaped like an SDK's batch, built with the official generated classes:
 * each resource carries the attributes a Kubernetes workload's SDK sends, each span an HTTP server
 * span with four attributes (about 200 bytes on the wire). Deterministic for a given seed.
 */
public final class TraceBatches {
  private static final String[] ROUTES = {"/api/cart/{id}", "/api/checkout", "/api/items", "/healthz"};

  private TraceBatches() {}

  /** One resource per entry of {@code services}, each with {@code spansPerResource} spans. */
  public static ExportTraceServiceRequest build(List<String> services, int spansPerResource, long seed) {
    Random random = new Random(seed);
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int r = 0; r < services.size(); r++) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet-5.0").setVersion("2.9.0"));
      byte[] traceId = bytes(random, 16);
      for (int s = 0; s < spansPerResource; s++) {
        if (s % 10 == 0) {
          traceId = bytes(random, 16);
        }
        scope.addSpans(span(random, traceId, services.get(r)));
      }
      req.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(resource(services.get(r), r))
          .addScopeSpans(scope)
          .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"));
    }
    return req.build();
  }

  /**
   * {@code resources} resources with {@code spansPerResource} spans each; service names cycle
   * through {@code checkout}, {@code cart-00}, {@code cart-01}... so the benchmark policy permits all.
   */
  public static ExportTraceServiceRequest permitted(int resources, int spansPerResource, long seed) {
    List<String> services = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      services.add(i == 0 ? "checkout" : String.format("cart-%02d", i % 100));
    }
    return build(services, spansPerResource, seed);
  }

  /**
   * The request in OTLP/JSON as the specification writes it: lowerCamelCase names, enums as
   * integers, and trace and span ids as hex strings (protobuf's own JSON mapping would use base64).
   */
  public static String json(ExportTraceServiceRequest req) {
    try {
      String proto3 = JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts().print(req);
      JsonObject root = new JsonObject(proto3);
      for (Object rs : root.getJsonArray("resourceSpans", new JsonArray())) {
        for (Object ss : ((JsonObject) rs).getJsonArray("scopeSpans", new JsonArray())) {
          for (Object span : ((JsonObject) ss).getJsonArray("spans", new JsonArray())) {
            hexIds((JsonObject) span);
          }
        }
      }
      return root.encode();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("generated request cannot be printed as JSON", e);
    }
  }

  private static void hexIds(JsonObject span) {
    for (String field : List.of("traceId", "spanId", "parentSpanId")) {
      String b64 = span.getString(field);
      if (b64 != null) {
        span.put(field, HexFormat.of().formatHex(Base64.getDecoder().decode(b64)));
      }
    }
  }

  private static Resource resource(String service, int index) {
    String pod = service + "-7d9f8c6b5-" + Integer.toString(10_000 + index, 36);
    return Resource.newBuilder()
        .addAttributes(kv("service.name", service))
        .addAttributes(kv("service.namespace", "shop"))
        .addAttributes(kv("service.version", "1.42." + (index % 7)))
        .addAttributes(kv("deployment.environment", "production"))
        .addAttributes(kv("host.name", "node-" + (index % 12) + ".eu-west-1.compute.internal"))
        .addAttributes(kv("k8s.namespace.name", "shop"))
        .addAttributes(kv("k8s.pod.name", pod))
        .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(kv("telemetry.sdk.language", "java"))
        .addAttributes(kv("telemetry.sdk.version", "1.44.1"))
        .build();
  }

  private static Span span(Random random, byte[] traceId, String service) {
    long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
    String route = ROUTES[random.nextInt(ROUTES.length)];
    int status = random.nextInt(100) < 97 ? 200 : 503;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(bytes(random, 8)))
        .setParentSpanId(ByteString.copyFrom(bytes(random, 8)))
        .setName("GET " + route)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + 200_000 + random.nextInt(50_000_000))
        .addAttributes(kv("http.request.method", "GET"))
        .addAttributes(kv("http.route", route))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(status)))
        .addAttributes(kv("server.address", service + ".shop.svc.cluster.local"))
        .setStatus(Status.newBuilder().setCode(status == 200 ? Status.StatusCode.STATUS_CODE_UNSET
            : Status.StatusCode.STATUS_CODE_ERROR))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
