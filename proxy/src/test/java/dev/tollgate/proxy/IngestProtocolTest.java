package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP answers on the wire: partial success, deny, encodings, limits, upstream trouble. */
class IngestProtocolTest {
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
  void largeBatchesAreForwardedWhole() throws Exception {
    // From 64 KiB on, the rewritten body is sent from pooled direct memory: two batches in a row
    // must each reach the collector as sent, the second not mixed with the first's bytes.
    for (int spans : new int[] {1500, 2500}) {
      f.collector.reset();
      var in = Otlp.traces("checkout:" + spans, "payments:3", "cart-api:" + (spans + 1));
      HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, in.toByteArray());

      assertThat(in.getSerializedSize()).isGreaterThan(128 * 1024);
      assertThat(r.statusCode()).isEqualTo(200);
      var forwarded = f.collector.await(1).get(0).traces();
      assertThat(forwarded.getResourceSpansList()).hasSize(2);
      assertThat(forwarded.getResourceSpans(0).getScopeSpansList()).isEqualTo(in.getResourceSpans(0).getScopeSpansList());
      assertThat(forwarded.getResourceSpans(1).getScopeSpansList()).isEqualTo(in.getResourceSpans(2).getScopeSpansList());
    }
  }

  @Test
  void partialSuccessForwardsPermittedResourcesOnly() throws Exception {
    byte[] body = Otlp.traces("checkout:2", "payments:3", "cart-debug:1", "cart-api:1").toByteArray();
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, body);

    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(4);
    assertThat(resp.getPartialSuccess().getErrorMessage()).contains("payments");
    var forwarded = f.collector.await(1).get(0).traces();
    assertThat(forwarded.getResourceSpansList()).extracting(rs -> SdkExporterIngestTest.attributes(rs.getResource()).get("service.name"))
        .containsExactly("checkout", "cart-api");
    assertThat(forwarded.getResourceSpans(0).getScopeSpans(0))
        .isEqualTo(Otlp.traces("checkout:2").getResourceSpans(0).getScopeSpans(0));
    JsonObject event = f.audit(r);
    String audit = event.encode();
    assertThat(event.getString("decision")).isEqualTo("partial");
    assertThat(event.getJsonObject("rejected").getInteger("payments")).isEqualTo(1);
    assertThat(event.getJsonObject("accepted").getInteger("checkout")).isEqualTo(1);
    assertThat(event.getLong("rejected_items")).isEqualTo(4);
    assertThat(event.getString("policy_version")).startsWith("sha256:");
    assertThat(event.getJsonObject("caller").getString("client_id")).isEqualTo("shop-collector");
    assertThat(audit).doesNotContain(token);
  }

  @Test
  void nothingPermittedIs403WithAGoogleRpcStatus() throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("payments:3").toByteArray());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("content-type")).hasValue(PROTO);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(7);
    assertThat(status.getMessage()).contains("payments").contains(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(f.collector.received()).isEmpty();
    assertThat(f.audit(r).getString("decision")).isEqualTo("deny");
  }

  @Test
  void projectWithoutAnyGrantIsRefusedBeforeTheBodyIsRead() throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/payments/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("payments");
  }

  @Test
  void jsonIsAnsweredInJson() throws Exception {
    String json = JsonFormat.printer().print(Otlp.traces("checkout:1", "payments:2"));
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, "application/json", json.getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject partial = new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonObject("partialSuccess");
    assertThat(Long.parseLong(String.valueOf(partial.getValue("rejectedSpans")))).isEqualTo(2);
    assertThat(f.collector.await(1).get(0).traces().getResourceSpansCount()).isEqualTo(1);
  }

  @Test
  void gzipIsDecompressedAndForwarded() throws Exception {
    byte[] body = Otlp.gzip(Otlp.traces("checkout:5").toByteArray());
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, body, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.collector.await(1).get(0).traces().getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(5);
  }

  @Test
  void deflateIsDecompressedAndForwarded() throws Exception {
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
      d.write(Otlp.traces("checkout:4").toByteArray());
    }
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, z.toByteArray(), "Content-Encoding", "deflate");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.collector.await(1).get(0).traces().getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(4);
  }

  @Test
  void brokenGzipIs400AndNothingIsForwarded() throws Exception {
    byte[] body = Otlp.gzip(Otlp.traces("checkout:5").toByteArray());
    body[body.length - 5] ^= 0x55; // the CRC no longer matches
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, body, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(400);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getMessage()).contains("malformed gzip").contains(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void anEncodingTollgateDoesNotReadIs415() throws Exception {
    byte[] body = Otlp.traces("checkout:5").toByteArray();
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, body, "Content-Encoding", "br");
    assertThat(r.statusCode()).isEqualTo(415);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(3);
    assertThat(status.getMessage()).contains("\"br\" is not supported").contains(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void decompressionBombIs413() throws Exception {
    byte[] bomb = Otlp.gzip(new byte[16 << 20]);
    assertThat(bomb.length).isLessThan(64 * 1024);
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, bomb, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("after decompression");
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void oversizedPlainBodyIs413BeforeItIsSent() throws Exception {
    // With Expect: 100-continue (curl sends it for large bodies) the refusal arrives before the
    // body is sent. A raw socket shows it: no body byte is written, the 413 still comes.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", f.tollgate.port())) {
      s.setSoTimeout(10_000);
      String head = "POST /projects/shop/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: " + PROTO + "\r\nContent-Length: " + (2 << 20) + "\r\nExpect: 100-continue\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("exceeds");
    }
  }

  @Test
  void aRefusedUploadIsDrainedSoItsSenderReadsTheAnswer() throws Exception {
    // A sender that writes its whole body before reading (as most HTTP/1.1 clients do) with a token
    // Tollgate refuses. Closing at once would reset the connection under the sender's writes and
    // destroy the 401; Tollgate reads and drops the body first, then closes.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", f.tollgate.port())) {
      s.setSoTimeout(10_000);
      int size = 12 << 20;
      String head = "POST /projects/shop/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer not-a-jwt"
          + "\r\nContent-Type: " + PROTO + "\r\nContent-Length: " + size + "\r\n\r\n";
      java.io.OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 << 10];
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk);
      }
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 401").contains("connection: close").contains("x-request-id");
    }
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyIsWanted() throws Exception {
    HttpResponse<byte[]> r = f.http.send(java.net.http.HttpRequest.newBuilder(f.url("/projects/shop/v1/traces"))
        .timeout(java.time.Duration.ofSeconds(10)).expectContinue(true).header("Authorization", "Bearer " + token).header("Content-Type", PROTO)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Otlp.traces("checkout:3").toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.collector.await(1)).hasSize(1);
  }

  @Test
  void malformedBodiesAre400InTheirOwnEncoding() throws Exception {
    HttpResponse<byte[]> proto = f.post("/projects/shop/v1/traces", token, PROTO, new byte[] {0x0a, 0x7f, 0x01});
    assertThat(proto.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(proto.body()).getCode()).isEqualTo(3);

    HttpResponse<byte[]> json = f.post("/projects/shop/v1/traces", token, "application/json",
        "{\"resourceSpans\":[{\"resource\":".getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(new String(json.body(), StandardCharsets.UTF_8)).getInteger("code")).isEqualTo(3);
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void resourceThatReadsTwoWaysIs400() throws Exception {
    var req = Otlp.traces("checkout:1").toBuilder();
    req.getResourceSpansBuilder(0).getResourceBuilder().addAttributes(
        io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("service.name")
            .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("payments")));
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, req.build().toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("service.name");
    assertThat(f.collector.received()).isEmpty();
  }

  @Test
  void requestNamingTwoProjectsIs400() throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray(),
        "X-Tollgate-Project", "payments");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("more than one project");
  }

  @Test
  void unknownProjectAndUnsupportedContentType() throws Exception {
    assertThat(f.post("/projects/nope/v1/traces", token, PROTO, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(f.post("/projects/shop/v1/traces", token, "text/plain", new byte[0]).statusCode()).isEqualTo(415);
    assertThat(f.post("/projects/shop/v2/traces", token, PROTO, new byte[0]).statusCode()).isEqualTo(404);
  }

  @Test
  void upstreamDownIs503WithRetryAfter() throws Exception {
    HttpResponse<byte[]> r = f.post("/projects/dead/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isPresent();
    assertThat(Status.parseFrom(r.body()).getCode()).isEqualTo(14);
  }

  @Test
  void upstreamRefusingOurCredentialIsNeverPassedBackAs401() throws Exception {
    f.collector.status = 401;
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isPresent();
    f.collector.status = 403;
    assertThat(f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray()).statusCode())
        .isEqualTo(503);
  }

  @Test
  void rotatedUpstreamTokenIsUsedWithoutRestart() throws Exception {
    Files.writeString(f.upstreamTokenFile, "upstream-token-2\n");
    long deadline = System.nanoTime() + 10_000_000_000L;
    String seen = null;
    while (System.nanoTime() < deadline && !"Bearer upstream-token-2".equals(seen)) {
      f.collector.reset();
      assertThat(f.post("/projects/shop/v1/traces", token, PROTO, Otlp.traces("checkout:1").toByteArray()).statusCode())
          .isEqualTo(200);
      seen = f.collector.await(1).get(0).headers().get("authorization");
      Thread.sleep(50);
    }
    assertThat(seen).isEqualTo("Bearer upstream-token-2");
    Files.writeString(f.upstreamTokenFile, "upstream-token-1\n");
  }

}
