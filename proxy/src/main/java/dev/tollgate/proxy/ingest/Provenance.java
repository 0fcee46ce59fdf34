package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;

/** The attributes Tollgate stamps on every kept resource, encoded once per rewrite. */
final class Provenance {
  private Provenance() {}

  /**
   * Provenance attributes that keep their encodings: a list that {@link #proto} and {@link #json}
   * encode once, on first use, and then hand out as they are. For one sender's stamp kept from one
   * request to the next on the thread that made it (IngestForwarder); not for sharing between
   * threads. The arrays handed out are read, never written, by the rewriters.
   */
  static final class Stamp extends AbstractList<Map.Entry<String, String>> {
    private final List<Map.Entry<String, String>> attributes;
    private byte[] proto;
    private byte[] json;

    Stamp(List<Map.Entry<String, String>> attributes) {
      this.attributes = List.copyOf(attributes);
    }

    @Override
    public Map.Entry<String, String> get(int i) {
      return attributes.get(i);
    }

    @Override
    public int size() {
      return attributes.size();
    }

    private byte[] proto() {
      if (proto == null) {
        proto = encodeProto(attributes);
      }
      return proto;
    }

    private byte[] json() {
      if (json == null) {
        json = encodeJson(attributes);
      }
      return json;
    }
  }

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
    return attributes instanceof Stamp s ? s.proto() : encodeProto(attributes);
  }

  private static byte[] encodeProto(List<Map.Entry<String, String>> attributes) {
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
    return attributes instanceof Stamp s ? s.json() : encodeJson(attributes);
  }

  private static byte[] encodeJson(List<Map.Entry<String, String>> attributes) {
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
