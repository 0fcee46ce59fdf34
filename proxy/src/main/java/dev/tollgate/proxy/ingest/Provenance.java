package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Map;

/** The attributes Tollgate stamps on every kept resource, encoded once per rewrite. */
final class Provenance {
  private Provenance() {}

  /** Refuses arguments that would break the guarantees {@link OtlpPayload#rewrite} gives. */
  static void check(int resources, boolean[] keep, List<Map.Entry<String, String>> attributes) {
    if (keep.length != resources) {
      throw new IllegalArgumentException(
          "keep has " + keep.length + " entries for " + resources + " resources");
    }
    for (Map.Entry<String, String> attribute : attributes) {
      // A key outside the reserved prefix could collide with one the sender kept.
      if (!attribute.getKey().startsWith(OtlpPayload.RESERVED_PREFIX)
          || attribute.getValue() == null) {
        throw new IllegalArgumentException("provenance key must start with "
            + OtlpPayload.RESERVED_PREFIX + " and have a value: " + attribute.getKey());
      }
    }
  }

  /** Repeated {@code KeyValue} fields (Resource.attributes = 1), each with a string_value. */
  static byte[] proto(List<Map.Entry<String, String>> attributes) {
    byte[][] keys = new byte[attributes.size()][];
    byte[][] values = new byte[attributes.size()][];
    int size = 0;
    for (int i = 0; i < keys.length; i++) {
      keys[i] = attributes.get(i).getKey().getBytes(UTF_8);
      values[i] = attributes.get(i).getValue().getBytes(UTF_8);
      size += ProtoWriter.lenFieldSize(keyValueSize(keys[i], values[i]));
    }
    ProtoWriter out = ProtoWriter.ofArray(size);
    for (int i = 0; i < keys.length; i++) {
      out.lenHeader(1, keyValueSize(keys[i], values[i]));
      out.lenHeader(1, keys[i].length).bytes(keys[i], 0, keys[i].length);
      out.lenHeader(2, ProtoWriter.lenFieldSize(values[i].length));
      out.lenHeader(1, values[i].length).bytes(values[i], 0, values[i].length);
    }
    return out.finishArray();
  }

  /** Comma-separated OTLP/JSON {@code KeyValue} objects, each with a stringValue. */
  static byte[] json(List<Map.Entry<String, String>> attributes) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> attribute : attributes) {
      sb.append(sb.length() == 0 ? "" : ",").append("{\"key\":");
      JsonStrings.appendQuoted(sb, attribute.getKey()).append(",\"value\":{\"stringValue\":");
      JsonStrings.appendQuoted(sb, attribute.getValue()).append("}}");
    }
    return sb.toString().getBytes(UTF_8);
  }

  private static int keyValueSize(byte[] key, byte[] value) {
    return ProtoWriter.lenFieldSize(key.length)
        + ProtoWriter.lenFieldSize(ProtoWriter.lenFieldSize(value.length));
  }
}
