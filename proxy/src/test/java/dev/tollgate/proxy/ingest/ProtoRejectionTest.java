package dev.tollgate.proxy.ingest;

import static dev.tollgate.proxy.ingest.Wire.attr;
import static dev.tollgate.proxy.ingest.Wire.attribute;
import static dev.tollgate.proxy.ingest.Wire.bytes;
import static dev.tollgate.proxy.ingest.Wire.cat;
import static dev.tollgate.proxy.ingest.Wire.len;
import static dev.tollgate.proxy.ingest.Wire.num;
import static dev.tollgate.proxy.ingest.Wire.request;
import static dev.tollgate.proxy.ingest.Wire.resource;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.tollgate.policy.Signal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Protobuf inputs that are broken, or that two readers could understand differently. */
class ProtoRejectionTest {
  private static final byte[] NAME = len(1, "service.name");

  /** A request with one ResourceSpans holding one resource with these attribute fields. */
  private static byte[] withAttributes(byte[]... attributes) {
    return request(resource(attributes));
  }

  /** A request whose only attribute is service.name with this AnyValue content. */
  private static byte[] nameValue(byte[]... anyValueFields) {
    return withAttributes(attribute(NAME, len(2, anyValueFields)));
  }

  static Stream<Arguments> ambiguous() {
    return Stream.of(
        argumentSet("service.name twice, same value",
            withAttributes(attr("service.name", "a"), attr("service.name", "a")),
            "service.name appears more than once"),
        argumentSet("service.name twice, different values",
            withAttributes(attr("service.name", "a"), attr("service.name", "b")),
            "service.name appears more than once"),
        argumentSet("service.name in two resource occurrences",
            request(cat(resource(attr("service.name", "a")), resource(attr("service.name", "b")))),
            "service.name appears more than once"),
        argumentSet("service.name as int_value", nameValue(num(3, 7)), "not a string_value"),
        argumentSet("service.name as string_value_strindex", nameValue(num(8, 1)),
            "not a string_value"),
        argumentSet("service.name with string and int", nameValue(len(1, "a"), num(3, 7)),
            "more than one field"),
        argumentSet("service.name with string_value twice", nameValue(len(1, "a"), len(1, "b")),
            "more than one field"),
        argumentSet("service.name with an empty value", nameValue(), "not a string_value"),
        argumentSet("service.name without value", withAttributes(attribute(NAME)), "no value"),
        argumentSet("key repeated, last one service.name",
            withAttributes(attribute(len(1, "x"), NAME, len(2, len(1, "a")))), "repeats its key"),
        argumentSet("key repeated, first one service.name",
            withAttributes(attribute(NAME, len(1, "x"), len(2, len(1, "a")))), "repeats its key"),
        argumentSet("value repeated",
            withAttributes(attribute(NAME, len(2, len(1, "a")), len(2, len(1, "b")))),
            "repeats its key or value"),
        argumentSet("key_strindex", withAttributes(attribute(num(3, 1), len(2, len(1, "a")))),
            "key_strindex"),
        argumentSet("key not UTF-8", withAttributes(attribute(len(1, bytes(0xff)))), "UTF-8"),
        argumentSet("key with overlong '.'",
            withAttributes(attribute(len(1, cat("service".getBytes(), bytes(0xc0, 0xae),
                "name".getBytes())), len(2, len(1, "a")))), "UTF-8"),
        argumentSet("service.name with encoded surrogate", nameValue(len(1, bytes(0xed, 0xa0, 0x80))),
            "UTF-8"),
        argumentSet("service.name past U+10FFFF", nameValue(len(1, bytes(0xf4, 0x90, 0x80, 0x80))),
            "UTF-8"),
        argumentSet("service.name truncated sequence", nameValue(len(1, bytes(0x61, 0xe2, 0x82))),
            "UTF-8"));
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        argumentSet("truncated tag", bytes(0x8a), "truncated varint at byte 0"),
        argumentSet("length past the end", bytes(0x0a, 0x05, 0x00), "runs past the end"),
        argumentSet("huge length", cat(bytes(0x0a), Wire.varint(Long.MAX_VALUE)), "runs past"),
        argumentSet("varint of 11 bytes", cat(bytes(0x0a), bytes(0x80, 0x80, 0x80, 0x80, 0x80,
            0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), "varint"),
        argumentSet("varint overflowing 64 bits", cat(bytes(0x0a), bytes(0x80, 0x80, 0x80, 0x80,
            0x80, 0x80, 0x80, 0x80, 0x80, 0x02)), "longer than 64 bits"),
        argumentSet("field number 0", bytes(0x02, 0x00), "invalid field number 0"),
        argumentSet("field number too large", cat(Wire.varint(1L << 32 | 2), bytes(0)),
            "invalid field number"),
        argumentSet("wire type 6", bytes(0x0e), "invalid wire type 6"),
        argumentSet("start group at top level", bytes(0x0b, 0x0c), "group wire type"),
        argumentSet("group inside ResourceSpans", request(bytes(0x2b, 0x2c)), "group wire type"),
        argumentSet("group inside Resource", request(len(1, bytes(0x4b, 0x4c))), "group wire type"),
        argumentSet("resource_spans as varint", bytes(0x08, 0x01), "not length-delimited"),
        argumentSet("unknown top-level field", cat(request(), len(2, "x")), "unknown field 2 in "
            + "ExportTraceServiceRequest"),
        argumentSet("unknown top-level varint", num(7, 1), "unknown field 7"),
        argumentSet("resource as varint", request(num(1, 1)), "resource (field 1) has wire type"),
        argumentSet("scope_spans as varint", request(num(2, 1)), "has wire type varint"),
        argumentSet("schema_url as i32", request(bytes(0x1d, 0, 0, 0, 0)), "has wire type i32"),
        argumentSet("attributes as varint", request(len(1, num(1, 1))), "Resource.attributes"),
        argumentSet("dropped_attributes_count as len", request(len(1, len(2, "x"))),
            "dropped_attributes_count"),
        argumentSet("entity_refs as varint", request(len(1, num(3, 1))), "entity_refs"),
        argumentSet("key as varint", withAttributes(attribute(num(1, 1))), "KeyValue.key"),
        argumentSet("truncated fixed64 in Resource", request(len(1, bytes(0x49, 1, 2))),
            "truncated"),
        argumentSet("nested length past its message",
            request(cat(bytes(0x0a, 0x05), attr("service.name", "abc"))), "runs past"));
  }

  @ParameterizedTest
  @MethodSource({"ambiguous", "broken"})
  void rejected(byte[] body, String reason) {
    assertThatThrownBy(() -> OtlpPayload.read(Signal.TRACES, PayloadFormat.PROTOBUF, body, 0,
        body.length))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining(reason)
        .hasMessageNotContaining("\n");
  }
}
