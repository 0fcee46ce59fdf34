package dev.tollgate.proxy.ingest.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Zipkin v2 JSON: {@code [{"traceId": ..., "localEndpoint": {"serviceName": ...}, ...}, ...]}.
 * Zipkin's reader keeps the last of two copies of a member and skips a null one, so a span or
 * local endpoint naming a member twice is refused rather than guessed at.
 */
final class ZipkinJsonBatch extends ZipkinBatch {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      // Names are sender-chosen: keep them out of the JVM's string intern pool.
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();
  private ZipkinJsonBatch(byte[] buf) {
    super(buf);
  }

  static ZipkinJsonBatch read(byte[] buf, int len) {
    requireUtf8(buf, 0, len, "the span list");
    ZipkinJsonBatch batch = new ZipkinJsonBatch(buf);
    try (JsonParser p = FACTORY.createParser(buf, 0, len)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new MalformedSpans("expected a JSON array of spans");
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw new MalformedSpans("span " + batch.size() + " is not an object");
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        String service = span(p, batch.size());
        batch.add(start, (int) p.currentTokenLocation().getByteOffset() + 1, service);
      }
      if (p.nextToken() != null) {
        throw new MalformedSpans("content after the span list");
      }
    } catch (IOException e) {
      throw new MalformedSpans("invalid JSON in span " + batch.size());
    }
    return batch;
  }

  /** Reads one span object through its END_OBJECT; returns its local service name or null. */
  private static String span(JsonParser p, int index) throws IOException {
    Set<String> names = new HashSet<>();
    String service = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (!names.add(name)) {
        throw new MalformedSpans("span " + index + " has a member twice");
      }
      JsonToken value = p.nextToken();
      if (name.equals("localEndpoint") && value == JsonToken.START_OBJECT) {
        service = endpoint(p, index);
      } else if (name.equals("localEndpoint") && value != JsonToken.VALUE_NULL) {
        throw new MalformedSpans("span " + index + " has a localEndpoint that is not an object");
      } else {
        p.skipChildren();
      }
    }
    return service;
  }

  private static String endpoint(JsonParser p, int index) throws IOException {
    Set<String> names = new HashSet<>();
    String service = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (!names.add(name)) {
        throw new MalformedSpans("span " + index + " has a localEndpoint member twice");
      }
      JsonToken value = p.nextToken();
      if (name.equals("serviceName") && value == JsonToken.VALUE_STRING) {
        service = checked(p.getText(), index);
      } else if (name.equals("serviceName") && value != JsonToken.VALUE_NULL) {
        // Zipkin would read a number as its digits; Tollgate reads only strings.
        throw new MalformedSpans("span " + index + " has a serviceName that is not a string");
      } else {
        p.skipChildren();
      }
    }
    return service;
  }

  /** Refuses a name with a lone surrogate escape: storage would write it as something else. */
  private static String checked(String name, int index) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new MalformedSpans("span " + index + " has a serviceName that is not valid UTF-16");
      }
    }
    return name;
  }

  @Override
  byte[] rewrite(boolean[] keep) {
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    byte[] out = new byte[keptBytes(keep) + Math.max(0, kept - 1) + 2];
    out[0] = '[';
    int end = copyKept(keep, out, 1, ',');
    out[end] = ']';
    return out;
  }
}
