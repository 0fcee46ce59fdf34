package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The head Tollgate sends upstream: its own headers set once and none of the caller's, and every
 * value HTTP cannot carry safely refused before a byte is sent, without quoting it.
 */
class UpstreamRequestHeadTest extends UpstreamHarness {
  @Test
  void tollgateSetsItsOwnHeadersOnceAndSendsNoneOfTheCallers() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/base/", 1, Duration.ofSeconds(5));
    MultiMap extra = MultiMap.caseInsensitiveMultiMap()
        .add("User-Agent", "otel-collector/1.0")
        .add("X-Scope-OrgID", "someone-else")
        .add("Authorization", "Bearer the-callers-token")
        .add("Content-Length", "1")
        .add("Host", "elsewhere.example");
    UpstreamRequest r = new UpstreamRequest(HttpMethod.POST, "/v1/traces", "application/x-protobuf",
        Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII), "shop", extra,
        UpstreamRequest.DEFAULT_MAX_RESPONSE, null);

    assertThat(send(up, r).status()).isEqualTo(200);

    assertThat(backend.heads).hasSize(1);
    String head = backend.heads.get(0);
    assertThat(head).startsWith("POST /base/v1/traces HTTP/1.1\r\n");
    assertThat(lines(head)).containsExactlyInAnyOrder(
        "host: 127.0.0.1:" + backend.port,
        "User-Agent: otel-collector/1.0",
        "content-type: application/x-protobuf",
        "content-length: 4",
        "authorization: Bearer tollgate-credential",
        "X-Scope-OrgID: shop");
    assertThat(backend.bodies).containsExactly("body");
  }

  /** Values that would end their line, one row a case: refused before anything is sent, and not quoted. */
  static Stream<Arguments> unsendable() {
    return Stream.of(
        Arguments.of(named("a header value with CR LF", "traceparent"), "00-SECRET\r\nx-evil: 1", "/ok"),
        Arguments.of(named("a header value with LF", "traceparent"), "00-SECRET\nx-evil: 1", "/ok"),
        Arguments.of(named("a header value with NUL", "traceparent"), "00-SECRET\u0000x-evil", "/ok"),
        Arguments.of(named("a header value with DEL", "traceparent"), "00-SECRET\u007f", "/ok"),
        Arguments.of(named("a header name with a colon", "x-evil:"), "SECRET", "/ok"),
        Arguments.of(named("a header name with a space", "x evil"), "SECRET", "/ok"),
        Arguments.of(named("a target with a line break", "user-agent"), "ua", "/SECRET HTTP/1.0\r\nx-evil: 1"),
        Arguments.of(named("a target outside ASCII", "user-agent"), "ua", "/SECRET/caf\u00e9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsendable")
  void aValueHttpCannotCarryIsRefusedBeforeSending(String header, String value, String target) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    UpstreamRequest r = UpstreamRequest.get(target, null, MultiMap.caseInsensitiveMultiMap().add(header, value), 100);
    assertThatThrownBy(() -> send(up, r)).cause()
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    assertThat(backend.connections).as("nothing reached the upstream").hasValue(0);
  }

  /** A configured header that would repeat one of Tollgate's own is refused when the upstream is set up. */
  /** The head is sent from its own array: nothing can be written into it once it is ended. */
  @Test
  void anEndedHeadTakesNoMoreLines() {
    RequestHead head = new RequestHead("GET", "/x").header("host", "a").end();
    byte[] sent = java.util.Arrays.copyOf(head.bytes(), head.length());

    assertThatThrownBy(() -> head.header("x-late", "1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(head::end).isInstanceOf(IllegalStateException.class);
    assertThat(java.util.Arrays.copyOf(head.bytes(), head.length())).isEqualTo(sent);
    assertThat(new String(sent, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("GET /x HTTP/1.1\r\nhost: a\r\n\r\n");
  }

  @Test
  void configuredHeadersCannotRepeatTollgatesOwn() throws Exception {
    String url = "http://127.0.0.1:" + backend.port + "/";
    assertThatThrownBy(() -> upstream(url, 1, Duration.ofSeconds(5), null, "Content-Length", "authorization"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant_header cannot be Content-Length");
    assertThatThrownBy(() -> upstream(url, 1, Duration.ofSeconds(5), null, "X-Scope-OrgID", "Host"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credential's header cannot be Host")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tollgate-credential"));
    assertThatThrownBy(() -> upstream(url, 1, Duration.ofSeconds(5), null, "X-Scope-OrgID", "x-scope-orgid"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credential's header cannot be x-scope-orgid");
    assertThat(backend.connections).as("nothing reached the upstream").hasValue(0);
  }

  private static List<String> lines(String head) {
    List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
    lines.remove(0);
    return lines;
  }
}
