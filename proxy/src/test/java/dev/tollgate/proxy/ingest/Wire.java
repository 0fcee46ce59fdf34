package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/** Hand-made protobuf wire format, for inputs the generated builders refuse to produce. */
final class Wire {
  private Wire() {}

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** A length-delimited field. */
  static byte[] len(int field, byte[]... content) {
    byte[] body = cat(content);
    return cat(varint((long) field << 3 | 2), varint(body.length), body);
  }

  static byte[] len(int field, String text) {
    return len(field, text.getBytes(UTF_8));
  }

  static byte[] num(int field, long value) {
    return cat(varint((long) field << 3), varint(value));
  }

  /** An export request: one field 1 per ResourceX message. */
  static byte[] request(byte[]... resources) {
    byte[][] fields = new byte[resources.length][];
    for (int i = 0; i < resources.length; i++) {
      fields[i] = len(1, resources[i]);
    }
    return cat(fields);
  }

  /** ResourceX.resource = 1 holding the given attribute fields. */
  static byte[] resource(byte[]... attributes) {
    return len(1, attributes);
  }

  /** Resource.attributes = 1 holding a KeyValue's fields. */
  static byte[] attribute(byte[]... keyValueFields) {
    return len(1, keyValueFields);
  }

  /** A resource attribute with a string_value. */
  static byte[] attr(String key, String value) {
    return attribute(len(1, key), len(2, len(1, value)));
  }

  /** A ScopeSpans with {@code spans} empty spans. */
  static byte[] scopeSpans(int spans) {
    byte[][] fields = new byte[spans][];
    for (int i = 0; i < spans; i++) {
      fields[i] = len(2, new byte[0]);
    }
    return len(2, fields);
  }
}
