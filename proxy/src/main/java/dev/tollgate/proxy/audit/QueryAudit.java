package dev.tollgate.proxy.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * What a trace query asked and what it got back, for the audit event of a read. Filled in by the
 * query gateway; written as the event's {@code query} object.
 *
 * @param backend the query backend's type ({@code zipkin}, {@code jaeger}, {@code tempo})
 */
public record QueryAudit(String backend) {
  /** Writes this record's fields into the currently open JSON object. */
  void writeFields(JsonGenerator g) throws IOException {
    g.writeStringField("backend", backend);
  }
}
