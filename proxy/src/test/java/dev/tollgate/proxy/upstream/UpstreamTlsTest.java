package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.proxy.TestKeystores;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An https upstream: trusted only with a certificate that chains to a trusted root and names it. */
class UpstreamTlsTest extends UpstreamHarness {
  @Test
  void anHttpsUpstreamIsTrustedOnlyWithACertificateForItsName() throws Exception {
    Path store = keystore("SAN=ip:127.0.0.1");
    HttpServer tls = tlsBackend(store);
    String url = "https://127.0.0.1:" + tls.actualPort() + "/";
    assertThat(send(upstream(url, 1, Duration.ofSeconds(5), TestKeystores.trusting(store)), get("/ok")).body().toString())
        .isEqualTo("tls ok");
    assertThatThrownBy(() -> send(upstream(url, 1, Duration.ofSeconds(5), null), get("/ok"))).cause()
        .as("a certificate the JDK does not trust").isInstanceOf(UpstreamFailed.class)
        .hasMessageStartingWith("TLS with the upstream failed");

    Path other = keystore("SAN=dns:elsewhere.example");
    HttpServer misnamed = tlsBackend(other);
    String wrong = "https://127.0.0.1:" + misnamed.actualPort() + "/";
    assertThatThrownBy(() -> send(upstream(wrong, 1, Duration.ofSeconds(5), TestKeystores.trusting(other)), get("/ok"))).cause()
        .as("a trusted certificate for another name").isInstanceOf(UpstreamFailed.class)
        .hasMessageStartingWith("TLS with the upstream failed");
  }

  private Path keystore(String san) throws Exception {
    Path store = Files.createTempFile(dir, "upstream", ".p12");
    Files.delete(store);
    return TestKeystores.generate(store, san);
  }

  private HttpServer tlsBackend(Path store) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PfxOptions().setPath(store.toString()).setPassword(TestKeystores.PASSWORD));
    return await(vertx.createHttpServer(options).requestHandler(req -> req.response().end("tls ok"))
        .listen(0, "127.0.0.1"));
  }
}
