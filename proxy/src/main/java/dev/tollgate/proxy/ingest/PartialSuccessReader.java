package dev.tollgate.proxy.ingest;

import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.proxy.ingest.OtlpResponses.PartialSuccess;

/**
 * Reads the {@code partial_success} of an upstream collector's success body. The collector is
 * trusted, so this is lenient where the request readers are strict: unknown fields are skipped and
 * repeated fields follow protobuf's last-one-wins.
 */
final class PartialSuccessReader {
  private static final String[] PARTIAL_SUCCESS = {"partialSuccess", "partial_success"};
  private static final String[] ERROR_MESSAGE = {"errorMessage", "error_message"};

  private PartialSuccessReader() {}

  static PartialSuccess proto(byte[] buf, int off, int len) {
    ProtoReader in = new ProtoReader(buf, off, off, off + len);
    long rejected = 0;
    String message = "";
    while (in.hasMore()) {
      int tag = in.readTag();
      if (tag != (1 << 3 | ProtoReader.LEN)) {
        in.skipField(tag);
        continue;
      }
      int outer = in.pushLimit(in.readLength());
      while (in.hasMore()) {
        int field = in.readTag();
        if (field == (1 << 3 | ProtoReader.VARINT)) {
          rejected = in.readVarint();
        } else if (field == (2 << 3 | ProtoReader.LEN)) {
          int length = in.readLength();
          message = new String(buf, in.pos(), length, UTF_8);
          in.skip(length);
        } else {
          in.skipField(field);
        }
      }
      in.popLimit(outer);
    }
    return of(rejected, message);
  }

  static PartialSuccess json(SignalShape shape, byte[] buf, int off, int len) {
    int i = off;
    while (i < off + len && Character.isWhitespace(buf[i])) {
      i++;
    }
    if (i == off + len) {
      return PartialSuccess.NONE;
    }
    try (JsonCursor in = new JsonCursor(buf, off, off, off + len)) {
      if (in.next() != START_OBJECT) {
        throw new MalformedPayloadException("upstream response is not a JSON object");
      }
      PartialSuccess result = PartialSuccess.NONE;
      while (in.next() == FIELD_NAME) {
        boolean partial = SignalShape.spells(PARTIAL_SUCCESS, in.rawName());
        if (in.next() == START_OBJECT && partial) {
          result = partialSuccess(shape, in);
        } else {
          in.skipValue();
        }
      }
      return result;
    }
  }

  private static PartialSuccess partialSuccess(SignalShape shape, JsonCursor in) {
    long rejected = 0;
    String message = "";
    while (in.next() == FIELD_NAME) {
      String name = in.rawName();
      JsonToken value = in.next();
      if (SignalShape.spells(shape.rejectedField, name)) {
        rejected = count(in, value);
      } else if (SignalShape.spells(ERROR_MESSAGE, name) && value == VALUE_STRING) {
        message = in.rawText();
      } else {
        in.skipValue();
      }
    }
    return of(rejected, message);
  }

  /** proto3 JSON sends int64 as a string but readers accept a number too. */
  private static long count(JsonCursor in, JsonToken value) {
    if (value != VALUE_STRING && value != VALUE_NUMBER_INT) {
      in.skipValue();
      return 0;
    }
    try {
      return Long.parseLong(in.rawText().trim());
    } catch (NumberFormatException e) {
      throw in.fail("upstream rejected count is not an int64", in.tokenStart());
    }
  }

  private static PartialSuccess of(long rejected, String message) {
    // A negative count would subtract from Tollgate's own; treat it as none.
    long count = Math.max(0, rejected);
    return count == 0 && message.isEmpty() ? PartialSuccess.NONE : new PartialSuccess(count, message);
  }
}
