package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Reads one ResourceSpans, ResourceMetrics or ResourceLogs message just far enough to find its
 * {@code service.name}: the resource's attributes are parsed, everything else is skipped by length.
 * The collector merges repeated {@code resource} fields, so every occurrence is read.
 */
final class ProtoResourceScanner {
  private static final byte[] SERVICE_NAME = "service.name".getBytes(UTF_8);

  private final ProtoReader in;
  private final String resourceName;
  private int nameStart;
  private int nameLen;
  /** Where the current attribute's key and value are; valueStart is -1 when it has no value. */
  private int keyStart;
  private int keyLen;
  private int valueStart;
  private int valueLen;

  ProtoResourceScanner(ProtoReader in, SignalShape shape) {
    this.in = in;
    this.resourceName = shape.resourceName;
  }

  /** Where the service name of the last scanned resource starts in the buffer. */
  int nameStart() {
    return nameStart;
  }

  /** The byte length of the last scanned resource's service name, -1 when it has none. */
  int nameLen() {
    return nameLen;
  }

  /** Scans the resource message in the reader's next {@code len} bytes and moves past it. */
  void scan(int len) {
    nameStart = 0;
    nameLen = -1;
    int outer = in.pushLimit(len);
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (ProtoReader.fieldNumber(tag)) {
        case 1 -> {
          in.expect(tag, ProtoReader.LEN, resourceName, ".resource");
          scanResource(in.readLength());
        }
        case 2, 3 -> {
          in.expect(tag, ProtoReader.LEN, resourceName, " field");
          in.skip(in.readLength());
        }
        default -> in.skipField(tag);
      }
    }
    in.popLimit(outer);
  }

  private void scanResource(int len) {
    int outer = in.pushLimit(len);
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (ProtoReader.fieldNumber(tag)) {
        case 1 -> {
          in.expect(tag, ProtoReader.LEN, "Resource.attributes");
          scanAttribute(in.readLength());
        }
        case 2 -> {
          in.expect(tag, ProtoReader.VARINT, "Resource.dropped_attributes_count");
          in.readVarint();
        }
        case 3 -> {
          in.expect(tag, ProtoReader.LEN, "Resource.entity_refs");
          in.skip(in.readLength());
        }
        default -> in.skipField(tag);
      }
    }
    in.popLimit(outer);
  }

  private void scanAttribute(int len) {
    int at = in.pos();
    int outer = in.pushLimit(len);
    keyStart = at;
    keyLen = 0;
    valueStart = -1;
    int keys = 0;
    int values = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (ProtoReader.fieldNumber(tag)) {
        case 1 -> {
          in.expect(tag, ProtoReader.LEN, "KeyValue.key");
          keyLen = in.readLength();
          keyStart = in.pos();
          in.skip(keyLen);
          keys++;
        }
        case 2 -> {
          in.expect(tag, ProtoReader.LEN, "KeyValue.value");
          valueLen = in.readLength();
          valueStart = in.pos();
          in.skip(valueLen);
          values++;
        }
        // Only profiles carry the string table key_strindex points into.
        case 3 -> throw in.fail("resource attribute uses key_strindex", in.pos());
        default -> in.skipField(tag);
      }
    }
    in.popLimit(outer);
    checkAttribute(at, keys, values);
  }

  private void checkAttribute(int at, int keys, int values) {
    // Protobuf keeps the last key and merges values; other readers may not.
    if (keys > 1 || values > 1) {
      throw in.fail("resource attribute repeats its key or value field", at);
    }
    if (!StrictUtf8.valid(in.buf(), keyStart, keyStart + keyLen)) {
      throw in.fail("resource attribute key is not valid UTF-8", at);
    }
    if (isServiceName()) {
      readServiceName(at);
    }
  }

  private boolean isServiceName() {
    byte[] buf = in.buf();
    if (keyLen != SERVICE_NAME.length) {
      return false;
    }
    for (int i = 0; i < keyLen; i++) {
      if (buf[keyStart + i] != SERVICE_NAME[i]) {
        return false;
      }
    }
    return true;
  }

  private void readServiceName(int at) {
    if (nameLen >= 0) {
      throw in.fail("service.name appears more than once in a resource", at);
    }
    if (valueStart < 0) {
      throw in.fail("service.name has no value", at);
    }
    ProtoReader value = in.slice(valueStart, valueLen);
    int fields = 0;
    int stringStart = 0;
    int stringLen = -1;
    while (value.hasMore()) {
      int tag = value.readTag();
      fields++;
      if (tag == (1 << 3 | ProtoReader.LEN)) {
        stringLen = value.readLength();
        stringStart = value.pos();
        value.skip(stringLen);
      } else {
        value.skipField(tag);
      }
    }
    if (fields != 1 || stringLen < 0) {
      throw in.fail(fields > 1 ? "service.name value carries more than one field"
          : "service.name value is not a string_value", at);
    }
    if (!StrictUtf8.valid(in.buf(), stringStart, stringStart + stringLen)) {
      throw in.fail("service.name is not valid UTF-8", at);
    }
    nameStart = stringStart;
    nameLen = stringLen;
  }
}
