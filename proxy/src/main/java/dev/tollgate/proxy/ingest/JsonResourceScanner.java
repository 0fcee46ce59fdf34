package dev.tollgate.proxy.ingest;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one OTLP/JSON ResourceSpans, ResourceMetrics or ResourceLogs object: its resource is
 * parsed to find {@code service.name}, its other members are skipped and remembered as raw slices.
 */
final class JsonResourceScanner {
  private static final String[][] RESOURCE = {
    {"attributes"}, {"droppedAttributesCount", "dropped_attributes_count"},
    {"entityRefs", "entity_refs"}
  };
  private static final String[][] KEY_VALUE = {{"key"}, {"value"}, {"keyStrindex", "key_strindex"}};
  private static final String[][] ANY_VALUE = {
    {"stringValue", "string_value"}, {"boolValue", "bool_value"}, {"intValue", "int_value"},
    {"doubleValue", "double_value"}, {"arrayValue", "array_value"},
    {"kvlistValue", "kvlist_value"}, {"bytesValue", "bytes_value"},
    {"stringValueStrindex", "string_value_strindex"}
  };

  private final JsonCursor in;
  private final RawSlices slices;
  private final String scopeName;
  private final JsonMembers resourceX;
  private final JsonMembers resource = new JsonMembers("Resource", RESOURCE);
  private final JsonMembers keyValue = new JsonMembers("KeyValue", KEY_VALUE);
  private final JsonMembers anyValue = new JsonMembers("AnyValue", ANY_VALUE);
  private String serviceName;
  private int scopeStart;
  private int scopeEnd;
  private int valueMembers;
  private int valueAt;

  JsonResourceScanner(JsonCursor in, SignalShape shape, RawSlices slices) {
    this.in = in;
    this.slices = slices;
    this.scopeName = shape.resourceFields[1][0];
    this.resourceX = new JsonMembers(shape.resourceName, shape.resourceFields);
  }

  String serviceName() {
    return serviceName;
  }

  /** Where the scope list's array starts, or -1 when there is none. */
  int scopeStart() {
    return scopeStart;
  }

  int scopeEnd() {
    return scopeEnd;
  }

  /** Reads the object whose START_OBJECT is the current token, through its END_OBJECT. */
  void scan() {
    serviceName = null;
    scopeStart = -1;
    scopeEnd = -1;
    resourceX.reset();
    int pending = -1;
    while (in.next() == FIELD_NAME) {
      int at = in.tokenStart();
      pending = flush(RawSlices.MEMBER, pending, at);
      int field = resourceX.field(in.name(), in);
      JsonToken value = in.next();
      if (field == 0) {
        resource(value);
        continue;
      }
      if (field == 1) {
        scopes(value);
      } else {
        in.skipValue();
      }
      pending = at;
    }
    flush(RawSlices.MEMBER, pending, in.tokenStart());
  }

  private void scopes(JsonToken value) {
    if (value == VALUE_NULL) {
      return;
    }
    if (value != START_ARRAY) {
      throw in.fail(scopeName + " must be an array", in.tokenStart());
    }
    scopeStart = in.tokenStart();
    in.skipValue();
    scopeEnd = in.tokenStart() + 1;
  }

  private void resource(JsonToken value) {
    if (value == VALUE_NULL) {
      return;
    }
    if (value != START_OBJECT) {
      throw in.fail("resource must be an object", in.tokenStart());
    }
    resource.reset();
    int pending = -1;
    while (in.next() == FIELD_NAME) {
      int at = in.tokenStart();
      pending = flush(RawSlices.RESOURCE_MEMBER, pending, at);
      int field = resource.field(in.name(), in);
      JsonToken member = in.next();
      if (field == 0) {
        attributes(member);
      } else {
        in.skipValue();
        pending = at;
      }
    }
    flush(RawSlices.RESOURCE_MEMBER, pending, in.tokenStart());
  }

  private void attributes(JsonToken value) {
    if (value == VALUE_NULL) {
      return;
    }
    if (value != START_ARRAY) {
      throw in.fail("Resource.attributes must be an array", in.tokenStart());
    }
    int pending = -1;
    JsonToken element;
    while ((element = in.next()) != END_ARRAY) {
      int at = in.tokenStart();
      pending = flush(RawSlices.ATTRIBUTE, pending, at);
      if (element != START_OBJECT) {
        throw in.fail("resource attribute must be an object", at);
      }
      if (keyValue(at)) {
        pending = at;
      }
    }
    flush(RawSlices.ATTRIBUTE, pending, in.tokenStart());
  }

  /** Reads one attribute; true when it is kept (its key is outside the reserved prefix). */
  private boolean keyValue(int at) {
    keyValue.reset();
    String key = "";
    String string = null;
    boolean hasValue = false;
    while (in.next() == FIELD_NAME) {
      int field = keyValue.field(in.name(), in);
      JsonToken value = in.next();
      switch (field) {
        case 0 -> {
          if (value != VALUE_STRING) {
            throw in.fail("attribute key must be a string", in.tokenStart());
          }
          key = in.text("attribute key");
        }
        case 1 -> {
          hasValue = value != VALUE_NULL;
          string = stringValue(value);
        }
        // Only profiles carry the string table keyStrindex points into.
        case 2 -> throw in.fail("resource attribute uses keyStrindex", in.tokenStart());
        default -> in.skipValue();
      }
    }
    if (key.equals("service.name")) {
      setServiceName(at, hasValue, string);
    }
    return !key.startsWith(OtlpPayload.RESERVED_PREFIX);
  }

  /** The string of an AnyValue holding a stringValue and nothing else, otherwise null. */
  private String stringValue(JsonToken value) {
    valueMembers = 0;
    if (value == VALUE_NULL) {
      return null;
    }
    if (value != START_OBJECT) {
      throw in.fail("attribute value must be an object", in.tokenStart());
    }
    anyValue.reset();
    String string = null;
    while (in.next() == FIELD_NAME) {
      int field = anyValue.field(in.name(), in);
      valueMembers++;
      if (in.next() == VALUE_STRING && field == 0) {
        string = in.rawText();
        valueAt = in.tokenStart();
      } else {
        in.skipValue();
      }
    }
    return valueMembers == 1 ? string : null;
  }

  private void setServiceName(int at, boolean hasValue, String string) {
    if (serviceName != null) {
      throw in.fail("service.name appears more than once in a resource", at);
    }
    if (!hasValue) {
      throw in.fail("service.name has no value", at);
    }
    if (string == null) {
      throw in.fail(valueMembers > 1 ? "service.name value carries more than one field"
          : "service.name value is not a stringValue", at);
    }
    in.check(valueAt, string, "service.name");
    serviceName = string;
  }

  private int flush(int kind, int pending, int next) {
    if (pending >= 0) {
      slices.add(kind, pending, in.endBefore(next));
    }
    return -1;
  }
}
