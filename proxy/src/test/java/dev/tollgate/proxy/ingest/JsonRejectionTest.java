package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.tollgate.policy.Signal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OTLP/JSON inputs that are broken, or that two readers could understand differently. */
class JsonRejectionTest {

  /** A traces request with one ResourceSpans object holding {@code members}. */
  private static String spans(String members) {
    return "{\"resourceSpans\":[{" + members + "}]}";
  }

  /** A traces request whose one resource has {@code members}. */
  private static String resource(String members) {
    return spans("\"resource\":{" + members + "}");
  }

  /** A traces request whose one resource has these attribute objects. */
  private static String attributes(String... keyValues) {
    return resource("\"attributes\":[" + String.join(",", keyValues) + "]");
  }

  private static String name(String anyValue) {
    return "{\"key\":\"service.name\",\"value\":" + anyValue + "}";
  }

  static Stream<Arguments> repeatedFields() {
    return Stream.of(
        row("both spellings of resourceSpans", "{\"resourceSpans\":[],\"resource_spans\":[]}",
            "both \"resourceSpans\" and \"resource_spans\""),
        row("resourceSpans twice", "{\"resourceSpans\":[],\"resourceSpans\":[]}", "twice"),
        row("both spellings of scopeSpans", spans("\"scopeSpans\":[],\"scope_spans\":[]"), "both"),
        row("both spellings of schemaUrl", spans("\"schemaUrl\":\"a\",\"schema_url\":\"b\""), "both"),
        row("resource twice", spans("\"resource\":{},\"resource\":{}"), "twice"),
        row("unknown member twice", spans("\"x\":1,\"x\":2"), "the key \"x\" twice"),
        row("both spellings of droppedAttributesCount",
            resource("\"droppedAttributesCount\":1,\"dropped_attributes_count\":2"), "both"),
        row("both spellings of entityRefs", resource("\"entityRefs\":[],\"entity_refs\":[]"), "both"),
        row("attributes twice", resource("\"attributes\":[],\"attributes\":[]"), "twice"),
        row("key twice", attributes("{\"key\":\"x\",\"key\":\"service.name\"}"), "twice"),
        row("value twice", attributes("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"a\"},"
            + "\"value\":{\"stringValue\":\"b\"}}"), "twice"),
        row("both spellings of stringValue",
            attributes(name("{\"stringValue\":\"a\",\"string_value\":\"b\"}")), "both"),
        row("both spellings in another attribute",
            attributes("{\"key\":\"host\",\"value\":{\"intValue\":1,\"int_value\":2}}"), "both"),
        row("keyStrindex", attributes("{\"keyStrindex\":1,\"value\":{\"stringValue\":\"a\"}}"),
            "keyStrindex"),
        row("key_strindex", attributes("{\"key_strindex\":1}"), "keyStrindex"));
  }

  static Stream<Arguments> serviceNames() {
    return Stream.of(
        row("service.name twice, same value",
            attributes(name("{\"stringValue\":\"a\"}"), name("{\"stringValue\":\"a\"}")),
            "more than once"),
        row("service.name twice, different values",
            attributes(name("{\"stringValue\":\"a\"}"), name("{\"stringValue\":\"b\"}")),
            "more than once"),
        row("service.name twice, one escaped", attributes(name("{\"stringValue\":\"a\"}"),
            "{\"key\":\"service\\u002ename\",\"value\":{\"stringValue\":\"b\"}}"), "more than once"),
        row("service.name as intValue", attributes(name("{\"intValue\":\"5\"}")), "not a stringValue"),
        row("service.name as stringValueStrindex",
            attributes(name("{\"stringValueStrindex\":1}")), "not a stringValue"),
        row("service.name string null", attributes(name("{\"stringValue\":null}")),
            "not a stringValue"),
        row("service.name with two fields",
            attributes(name("{\"stringValue\":\"a\",\"intValue\":\"5\"}")), "more than one field"),
        row("service.name with an unknown field",
            attributes(name("{\"stringValue\":\"a\",\"x\":1}")), "more than one field"),
        row("service.name empty value", attributes(name("{}")), "not a stringValue"),
        row("service.name null value", attributes(name("null")), "no value"),
        row("service.name without value", attributes("{\"key\":\"service.name\"}"), "no value"),
        row("service.name lone surrogate", attributes(name("{\"stringValue\":\"a\\ud800\"}")),
            "UTF-8"),
        raw("service.name overlong UTF-8", attributes(name("{\"stringValue\":\"a\u00c0\u00ae\"}")),
            "UTF-8"),
        raw("service.name invalid byte", attributes(name("{\"stringValue\":\"\u00ff\"}")),
            "invalid JSON"),
        raw("key with overlong '.'",
            attributes("{\"key\":\"service\u00c0\u00aename\",\"value\":{\"stringValue\":\"a\"}}"),
            "UTF-8"),
        raw("member name with invalid byte", spans("\"\u00ff\":1"), "invalid JSON"),
        raw("member name with overlong UTF-8", spans("\"\u00c0\u00ae\":1"), "UTF-8"));
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        row("empty body", "", "must be a JSON object"),
        row("whitespace only", " \n", "must be a JSON object"),
        row("top-level array", "[]", "must be a JSON object"),
        row("top-level string", "\"x\"", "must be a JSON object"),
        row("top-level null", "null", "must be a JSON object"),
        raw("byte-order mark", "\u00ef\u00bb\u00bf{}", "must be a JSON object"),
        row("second object", "{} {}", "content after"),
        row("trailing garbage", "{}x", "invalid JSON"),
        row("unknown top-level key", "{\"resourceSpans\":[],\"foo\":1}", "unknown field \"foo\""),
        row("another signal's key", "{\"resourceLogs\":[]}", "unknown field \"resourceLogs\""),
        row("truncated", "{\"resourceSpans\":[{\"resource\":", "invalid JSON"),
        row("unclosed array", "{\"resourceSpans\":[}", "invalid JSON"),
        row("comment", "{/* c */}", "invalid JSON"),
        row("single quotes", "{'resourceSpans':[]}", "invalid JSON"),
        row("trailing comma", "{\"resourceSpans\":[],}", "invalid JSON"),
        row("resourceSpans object", "{\"resourceSpans\":{}}", "must be an array"),
        row("resourceSpans number", "{\"resourceSpans\":1}", "must be an array"),
        row("ResourceSpans number", "{\"resourceSpans\":[1]}", "must be an object"),
        row("ResourceSpans null", "{\"resourceSpans\":[null]}", "must be an object"),
        row("resource array", spans("\"resource\":[]"), "resource must be an object"),
        row("scopeSpans object", spans("\"scopeSpans\":{}"), "must be an array"),
        row("attributes object", resource("\"attributes\":{}"), "must be an array"),
        row("attribute string", attributes("\"a\""), "attribute must be an object"),
        row("attribute null", attributes("null"), "attribute must be an object"),
        row("key number", attributes("{\"key\":1}"), "key must be a string"),
        row("key null", attributes("{\"key\":null}"), "key must be a string"),
        row("value string", attributes("{\"key\":\"a\",\"value\":\"b\"}"), "must be an object"),
        raw("control character in a string", spans("\"schemaUrl\":\"a\u0001\""), "invalid JSON"),
        row("deep nesting", spans("\"x\":" + "[".repeat(5000) + "]".repeat(5000)), "invalid JSON"));
  }

  @ParameterizedTest
  @MethodSource({"repeatedFields", "serviceNames", "broken"})
  void rejected(byte[] body, String reason) {
    assertThatThrownBy(() -> OtlpPayload.read(Signal.TRACES, PayloadFormat.JSON, body, 0,
        body.length))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining(reason)
        .hasMessageNotContaining("\n");
  }

  private static Arguments row(String name, String json, String reason) {
    return argumentSet(name, json.getBytes(UTF_8), reason);
  }

  /** A row whose body bytes are the chars of {@code json} below 256, so it can hold any byte. */
  private static Arguments raw(String name, String json, String reason) {
    return argumentSet(name, json.getBytes(ISO_8859_1), reason);
  }
}
