package dev.tollgate.proxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link AuditEvent}s as JSON lines; absent values are left out, never written as null. One
 * generator serves the writer thread for its life (building one per event was a tenth of the
 * audit thread's time). Not thread-safe: only the audit writer uses it.
 */
final class AuditJson {
  private final JsonGenerator g;
  private final AuditTime time = new AuditTime();

  AuditJson(OutputStream out) throws IOException {
    // The fast double writer (Schubfach) for latency_ms instead of Double.toString.
    this.g = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build().createGenerator(out);
    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    g.setRootValueSeparator(null);
  }

  /** Pushes what is buffered to the stream, and flushes the stream. */
  void flush() throws IOException {
    g.flush();
  }

  void write(AuditEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", time.format(e.time()));
    field(g, "request_id", e.requestId());
    field(g, "trace_id", e.traceId());
    g.writeObjectFieldStart("caller");
    field(g, "subject", e.subject());
    field(g, "client_id", e.clientId());
    field(g, "issuer", e.issuer());
    strings(g, "groups", e.groups());
    g.writeEndObject();
    field(g, "source", e.source());
    field(g, "method", e.method());
    field(g, "path", e.path());
    field(g, "action", e.action());
    field(g, "project", e.project());
    field(g, "signal", e.signal());
    counts(g, "accepted", e.accepted());
    counts(g, "rejected", e.rejected());
    if (e.rejectedItems() > 0) {
      g.writeNumberField("rejected_items", e.rejectedItems());
    }
    field(g, "decision", e.decision());
    field(g, "rule", e.rule());
    field(g, "reason", e.reason());
    field(g, "policy_version", e.policyVersion());
    g.writeNumberField("status", e.status());
    if (e.upstreamStatus() > 0) {
      g.writeNumberField("upstream_status", e.upstreamStatus());
    }
    field(g, "credential", e.credential());
    field(g, "credential_key_id", e.credentialKeyId());
    if (e.query() != null) {
      g.writeObjectFieldStart("query");
      e.query().writeFields(g);
      g.writeEndObject();
    }
    g.writeNumberField("latency_ms", Math.round(e.latencyMs() * 1000) / 1000.0);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
    if (values == null || values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void counts(JsonGenerator g, String name, Map<String, Integer> values) throws IOException {
    if (values == null || values.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, Integer> e : values.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
