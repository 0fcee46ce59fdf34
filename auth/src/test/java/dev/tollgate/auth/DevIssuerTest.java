package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The development issuer's tokens go through the same verifier as any IdP's. */
class DevIssuerTest {
  private final TestClock clock = TestClock.atSystemTime();
  private final DevIssuer dev = DevIssuer.generate(clock);
  private Vertx vertx;
  private TokenVerifier verifier;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    verifier = TokenVerifier.create(vertx, List.of(TestIssuer.dev("dev").build()), clock, dev);
    verifier.start();
  }

  @AfterEach
  void stop() {
    verifier.close();
    Await.result(vertx.close());
  }

  @Test
  void mintedTokenVerifies() {
    assertThat(verifier.ready()).as("in-memory keys need no wait").isTrue();
    String token = dev.mint("alice", "cli", Set.of("platform", "sre"), List.of("tollgate"), Duration.ofMinutes(10));

    Caller caller = Await.result(verifier.verify(token));

    assertThat(caller).isEqualTo(new Caller("alice", "cli", DevIssuer.ISSUER, "dev", Set.of("platform", "sre"),
        clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS)));
  }

  @Test
  void mintedTokenForAnotherAudienceIsRefused() {
    String token = dev.mint("alice", null, Set.of(), List.of("someone-else"), Duration.ofMinutes(10));
    assertThat(Await.rejection(verifier.verify(token)).reason()).isEqualTo("token audience is not accepted here");
  }

  @Test
  void tokensOfAnotherRunDoNotVerify() {
    DevIssuer previousRun = DevIssuer.generate(clock);
    String token = previousRun.mint("alice", null, Set.of(), List.of("tollgate"), Duration.ofMinutes(10));
    assertThat(Await.rejection(verifier.verify(token)).reason()).startsWith("unknown signing key");
  }

  @Test
  void publishesOnlyThePublicKey() throws Exception {
    JWKSet jwks = JWKSet.parse(dev.jwksJson());
    assertThat(jwks.getKeys()).hasSize(1);
    assertThat(jwks.getKeys().get(0).isPrivate()).isFalse();
    assertThat(dev.issuer()).isEqualTo("http://tollgate.dev.invalid/");
  }

  @Test
  void refusesUnboundedLifetimes() {
    assertThatThrownBy(() -> dev.mint("alice", null, Set.of(), List.of("tollgate"), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT12H");
  }

  @Test
  void devIssuerConfigNeedsTheDevIssuer() {
    assertThatThrownBy(() -> TokenVerifier.create(vertx, List.of(TestIssuer.dev("dev").build()), clock, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the development issuer");
  }
}
