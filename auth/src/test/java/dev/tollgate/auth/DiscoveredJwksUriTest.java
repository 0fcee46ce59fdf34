package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code jwks_uri} a discovery document names is fetched only over https, whatever protected
 * the document: keys fetched in clear could be swapped by anyone on the path. Plain http only when
 * the document and the keys both stay on loopback.
 */
class DiscoveredJwksUriTest {
  @ParameterizedTest(name = "{0} names {1}")
  @CsvSource(nullValues = "ok", value = {
      "https://idp.example/.well-known/openid-configuration, https://idp.example/certs, ok",
      "https://idp.example/.well-known/openid-configuration, https://keys.example/certs, ok",
      "http://127.0.0.1:8080/.well-known/openid-configuration, https://idp.example/certs, ok",
      "http://127.0.0.1:8080/.well-known/openid-configuration, http://127.0.0.1:8080/certs, ok",
      "http://localhost:8080/.well-known/openid-configuration, http://[::1]:8080/certs, ok",
      "https://idp.example/.well-known/openid-configuration, http://idp.example/certs, is plain http",
      "https://idp.example/.well-known/openid-configuration, http://127.0.0.1/certs, is plain http",
      "http://127.0.0.1:8080/.well-known/openid-configuration, http://idp.example/certs, is plain http",
      "https://idp.example/.well-known/openid-configuration, ftp://idp.example/certs, is not an https URL",
      "https://idp.example/.well-known/openid-configuration, /certs, is not an absolute URL",
      "https://idp.example/.well-known/openid-configuration, 'http://idp example/', is not a URL"})
  void refusesKeysInClear(String discovery, String jwksUri, String refusal) {
    String answer = JwksFetcher.refusal(URI.create(discovery), jwksUri);
    if (refusal == null) {
      assertThat(answer).isNull();
    } else {
      assertThat(answer).contains(refusal);
    }
  }

  @Test
  void configuredKeyUrlsInClearAreRefusedEvenWhenBuiltInCode() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThatThrownBy(() -> TokenVerifier.create(vertx, List.of(TestIssuer.jwksUrl("corp",
          "https://idp.example/realm", "http://idp.example/realm/certs").build()), TestClock.atSystemTime(), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would be fetched in clear");
      assertThatThrownBy(() -> TokenVerifier.create(vertx, List.of(TestIssuer.discovery("corp",
          "http://idp.example/realm", URI.create("http://idp.example/realm/.well-known/openid-configuration"))
          .build()), TestClock.atSystemTime(), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would be fetched in clear");
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void anHttpJwksUriInADiscoveryDocumentLeavesTheIssuerNotReady() {
    Vertx vertx = Vertx.vertx();
    String iss = "https://idp.example/realm";
    String document = new JsonObject().put("issuer", iss).put("jwks_uri", "http://idp.example/realm/certs").encode();
    try (JwksServer discovery = JwksServer.start(vertx, 0, document)) {
      TokenVerifier verifier = TokenVerifier.create(vertx, List.of(
          TestIssuer.discovery("corp", iss, URI.create(discovery.url())).build()), TestClock.atSystemTime(), null);
      verifier.start();
      Await.until("first load failed", () -> verifier.status().get(0).lastError() != null, Duration.ofSeconds(10));

      assertThat(verifier.ready()).isFalse();
      assertThat(verifier.status().get(0).lastError()).contains("jwks_uri http://idp.example/realm/certs is plain http");
      verifier.close();
    } finally {
      Await.result(vertx.close());
    }
  }
}
