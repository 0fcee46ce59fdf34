package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed PKCS12 keystores made by the JDK's keytool, for TLS listeners and upstreams in tests. */
public final class TestKeystores {
  /** The password of every store made here, and of its key. */
  public static final String PASSWORD = "changeit-test";

  private TestKeystores() {}

  /** Writes a new EC key and its self-signed certificate, for the subject names {@code san} (keytool's syntax). */
  public static Path generate(Path store, String san) throws Exception {
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "tollgate-test", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=tollgate-test", "-ext", san, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    return store;
  }

  /** Trust in exactly the certificate of {@code store}. */
  public static TrustManagerFactory trusting(Path store) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      trust.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }
}
