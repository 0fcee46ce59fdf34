package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's own settings: TLS, and the budget for request bytes held in memory at once. */
class ListenerTest {
  @TempDir Path dir;

  @Test
  void servesOverTlsFromAPkcs12Keystore() throws Exception {
    Path store = TestKeystores.generate(dir.resolve("tollgate.p12"), "SAN=ip:127.0.0.1");
    Files.writeString(dir.resolve("store-password"), TestKeystores.PASSWORD + "\n");
    TrustManagerFactory tmf = TestKeystores.trusting(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);

    String server = "{host: 127.0.0.1, port: 0, event_loops: 1,"
        + " tls: {keystore_file: tollgate.p12, keystore_password_file: store-password}}";
    try (TollgateFixture f = new TollgateFixture(dir, server, "https", HttpClient.newBuilder().sslContext(ssl))) {
      HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", f.token("shop-collector"), "application/x-protobuf",
          Otlp.traces("checkout:1").toByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(f.collector.await(1)).hasSize(1);
    }
  }

  @Test
  void aCompressedBodyNearTheLimitFitsABudgetOfOneBody() throws Exception {
    // max_in_flight == max_body: the compressed bytes are released once inflated, and the output
    // grows to fit rather than doubling past the budget, so one such body always fits.
    String server = "{host: 127.0.0.1, port: 0, event_loops: 1, max_body: 1MiB, max_in_flight: 1MiB}";
    try (TollgateFixture f = new TollgateFixture(dir, server, "http", HttpClient.newBuilder())) {
      byte[] plain = Otlp.traces("checkout:16000").toByteArray();
      assertThat(plain.length).isBetween(600 << 10, 1 << 20);
      HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", f.token("shop-collector"), "application/x-protobuf",
          Otlp.gzip(plain), "Content-Encoding", "gzip");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(f.collector.await(1).get(0).traces().getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(16000);
      assertThat(f.tollgate.inFlight().held()).isZero();
    }
  }

  @Test
  void requestBytesHeldAtOnceAreBounded() throws Exception {
    String server = "{host: 127.0.0.1, port: 0, event_loops: 1, max_body: 1MiB, max_in_flight: 1MiB}";
    try (TollgateFixture f = new TollgateFixture(dir, server, "http", HttpClient.newBuilder())) {
      String token = f.token("shop-collector");
      // A slow sender declares 900 KiB and sends only part: its body's memory is held meanwhile.
      try (Socket slow = new Socket("127.0.0.1", f.tollgate.port())) {
        OutputStream out = slow.getOutputStream();
        out.write(("POST /projects/shop/v1/traces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
            + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + (900 << 10) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1024]);
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.tollgate.inFlight().held() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(f.tollgate.inFlight().held()).isGreaterThanOrEqualTo(900 << 10);

        HttpResponse<byte[]> refused = f.post("/projects/shop/v1/traces", token, "application/x-protobuf",
            new byte[200 << 10]);
        assertThat(refused.statusCode()).as("retryable: the sender keeps its data").isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (f.tollgate.inFlight().held() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(f.tollgate.inFlight().held()).as("released when the slow request ended").isZero();
    }
  }
}
