package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs that once left a request hanging or answered in the wrong protocol: each now ends audited. */
class IngestRobustnessTest {
  static final String PROTO = "application/x-protobuf";
  @TempDir static Path dir;
  static TollgateFixture f;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    f = new TollgateFixture(dir);
    token = f.token("shop-collector");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.collector.reset();
  }

  @Test
  void upstreamTwoHundredWithANonOtlpBodyIsStillASuccess() throws Exception {
    f.collector.responseBody = "<html>ok</html>";
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).as("the data was taken: an error would make the sender send it again").isEqualTo(200);
    assertThat(f.audit(r).getInteger("upstream_status")).isEqualTo(200);
  }

  @Test
  void malformedSpansInsideARefusedResourceAre400() throws Exception {
    // The refused resource's scope_spans field holds bytes that are not a ScopeSpans message; only
    // counting its spans for partial_success reads them.
    ResourceSpans broken = Otlp.traces("payments:1").getResourceSpans(0).toBuilder().clearScopeSpans()
        .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(2,
            com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFrom(new byte[] {0x12, 0x7f})).build()).build())
        .build();
    byte[] body = ExportTraceServiceRequest.newBuilder(Otlp.traces("checkout:1")).addResourceSpans(broken).build()
        .toByteArray();
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(f.audit(r).getInteger("status")).isEqualTo(400);
    assertThat(f.collector.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"q=%zz", "a=%", "%zz=1"})
  void badPercentEncodingIs400NotAHang(String query) throws Exception {
    // java.net.URI refuses these itself, so they go over a raw socket as a client could send them.
    byte[] body = Otlp.traces("checkout:1").toByteArray();
    String answer = rawExchange("POST /projects/shop/v1/traces?" + query + " HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + token + "\r\nContent-Type: " + PROTO + "\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n", body);
    assertThat(answer).startsWith("HTTP/1.1 400").contains("malformed query string");
    assertThat(f.collector.received()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "a DEL inside the token, 400, malformed HTTP request",
      "a control character in a header name, 400, malformed HTTP request",
      "a request line of 5000 bytes, 414, request line longer",
      "a header of 9000 bytes, 431, request headers larger"})
  void aRequestTheDecoderRefusesIsAnsweredAndAuditedWithoutQuotingIt(String what, int status, String reason)
      throws Exception {
    byte[] body = Otlp.traces("checkout:1").toByteArray();
    String path = "/projects/shop/v1/traces";
    String auth = "Authorization: Bearer " + token + "\r\n";
    String extra = "";
    switch (what) {
      case "a DEL inside the token" -> auth = "Authorization: Bearer " + tokenWithDel() + "\r\n";
      case "a control character in a header name" -> extra = "X-\u0001: 1\r\n";
      case "a request line of 5000 bytes" -> path += "?pad=" + "a".repeat(5000);
      case "a header of 9000 bytes" -> extra = "X-Pad: " + "a".repeat(9000) + "\r\n";
      default -> throw new IllegalArgumentException(what);
    }
    // read to the end: the server closes the connection after the answer, keep-alive or not
    String answer = rawExchange("POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + extra + "Content-Type: "
        + PROTO + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    // a request line the decoder could not read leaves it no version: it answers in HTTP/1.0
    assertThat(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*").containsIgnoringCase("connection: close");
    String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    JsonObject error = new JsonObject(json);
    assertThat(error.getString("error")).startsWith(reason);
    String requestId = error.getString("request_id");
    assertThat(answer).containsIgnoringCase("x-request-id: " + requestId);
    JsonObject event = f.audit(requestId);
    assertThat(event.getInteger("status")).isEqualTo(status);
    assertThat(event.getString("reason")).startsWith(reason);
    if (status == 414) {
      // the decoder could not read the request line: Netty's stand-in GET /bad-request is not audited
      assertThat(event.containsKey("method")).isFalse();
      assertThat(event.containsKey("path")).isFalse();
    } else {
      assertThat(event.getString("method")).isEqualTo("POST");
      assertThat(event.getString("path")).isEqualTo("/projects/shop/v1/traces");
    }
    assertThat(answer).doesNotContain(token.substring(20, 60));
    assertThat(event.encode()).doesNotContain(token.substring(20, 60));
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void aRefusedRequestIsLoggedByItsKindWithoutTheHeaderItQuotes() throws Exception {
    List<String> lines;
    try (LogCapture log = new LogCapture("dev.tollgate.proxy.web.Http1Connection")) {
      rawExchange("POST /projects/shop/v1/traces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenWithDel()
          + "\r\nContent-Length: 0\r\n\r\n", new byte[0]);
      for (int i = 0; i < 200 && log.records.isEmpty(); i++) {
        Thread.sleep(10);
      }
      lines = log.records.stream().map(r -> r.getMessage() + " " + r.getThrown()).toList();
    }
    assertThat(lines).as("the refusal is logged by its kind: the decoder's message quotes the header")
        .anyMatch(l -> l.startsWith("request refused by the decoder (java.lang.IllegalArgumentException)"));
    assertThat(String.join("\n", lines)).doesNotContain(token.substring(20, 60));
  }

  @Test
  void aClientThatHangsUpInsideItsHeadersIsAuditedAsSuch() throws Exception {
    String path = "/projects/shop/v1/traces-" + System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", f.tollgate.port())) {
      s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
          + "\r\nContent-Ty").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
    }
    JsonObject event = f.auditWith("\"path\":\"" + path + "\"");
    assertThat(event.getString("reason")).isEqualTo("connection closed before the request headers ended");
    assertThat(event.encode()).doesNotContain(token.substring(20, 60));
    assertThat(f.collector.received()).isEmpty();
  }

  /** The token with a DEL after its 20th character: a header value the HTTP decoder refuses. */
  private static String tokenWithDel() {
    return token.substring(0, 20) + "\u007f" + token.substring(20);
  }

  /** Sends {@code head} and {@code body} over a raw socket and reads until the server closes it. */
  private static String rawExchange(String head, byte[] body) throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.tollgate.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().write(body);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer=", "Authorization=Bearer%20", "x="})
  void anyTokenInTheQueryStringIsRefused(String prefix) throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces?" + prefix + token, token, PROTO,
        Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(f.audit(r).encode()).doesNotContain(token);
  }

  @Test
  void projectsAreNotEnumerableWithoutAToken() throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/no-such-project/v1/traces", null, PROTO, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(Status.parseFrom(r.body()).getMessage()).doesNotContain("project");
  }

  @Test
  void routeErrorsOnOtlpPathsAreAnsweredInProtobuf() throws Exception {
    HttpResponse<byte[]> unknownSignal = f.post("/projects/shop/v1/profiles", token, PROTO, new byte[0]);
    assertThat(unknownSignal.statusCode()).isEqualTo(404);
    assertThat(unknownSignal.headers().firstValue("content-type")).hasValue(PROTO);
    assertThat(Status.parseFrom(unknownSignal.body()).getCode()).isEqualTo(5);

    var get = f.http.send(java.net.http.HttpRequest.newBuilder(f.url("/projects/shop/v1/traces"))
        .header("Content-Type", PROTO).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");
    assertThat(Status.parseFrom(get.body()).getCode()).isEqualTo(12);
  }

  @Test
  void upstreamRetryAfterIsPassedOn() throws Exception {
    f.collector.status = 503;
    f.collector.retryAfter = "17";
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("17");

    f.collector.retryAfter = "Wed, 21 Oct 2015 07:28:00 GMT";
    HttpResponse<byte[]> dated = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(dated.headers().firstValue("retry-after")).as("only whole seconds are passed on").hasValue("5");
    assertThat(new String(dated.body(), StandardCharsets.ISO_8859_1)).doesNotContain("GMT");
  }
}
