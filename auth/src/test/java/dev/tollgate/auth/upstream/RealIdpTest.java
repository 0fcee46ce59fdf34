package dev.tollgate.auth.upstream;

import dev.tollgate.auth.TestClock;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Path;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that fetch tokens from the real OIDC server (mock-oauth2-server, issuer
 * {@code corp}) through a {@link FlakyTokenEndpoint}, with a fresh {@link TestClock} per test.
 */
abstract class RealIdpTest {
  static Vertx vertx;
  static MockOAuth2Server idp;
  @TempDir Path dir;
  FlakyTokenEndpoint endpoint;
  TestClock clock;

  @BeforeAll
  static void startIdp() throws Exception {
    vertx = Vertx.vertx();
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    idp.issueToken("corp", "warm-up"); // the server makes the issuer's key on first use; keep that out of timeouts
  }

  @AfterAll
  static void stopIdp() {
    idp.shutdown();
    vertx.close();
  }

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = FlakyTokenEndpoint.start(vertx, idp);
    clock = TestClock.atSystemTime();
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    endpoint.close();
  }
}
