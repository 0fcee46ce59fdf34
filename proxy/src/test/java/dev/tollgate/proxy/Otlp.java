package dev.tollgate.proxy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Builds OTLP requests for tests with the official protobuf classes. */
public final class Otlp {
  private Otlp() {}

  /** A trace export with one resource per {@code service:spans} pair, e.g. {@code "checkout:2"}. */
  static ExportTraceServiceRequest traces(String... serviceSpans) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (String ss : serviceSpans) {
      String[] parts = ss.split(":");
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
        scope.addSpans(Span.newBuilder().setName(parts[0] + "-op-" + i)
            .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])));
      }
      req.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
              .setValue(AnyValue.newBuilder().setStringValue(parts[0]))))
          .addScopeSpans(scope));
    }
    return req.build();
  }

  /** {@code data} as one gzip member. */
  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
