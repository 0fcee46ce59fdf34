package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each credential kind as written in YAML, and the mistakes a user can make with each. */
class CredentialConfigTest {
  private static final String BASE = String.join("\n",
      "issuers: [{name: corp, issuer: https://idp.example.com, audiences: [tollgate]}]",
      "projects: [{name: shop}]",
      "upstreams:",
      "  ingest:",
      "    url: https://collector.example.com:4318",
      "    credential:",
      "%s",
      "policy: {files: [policy.yaml]}",
      "%s");
  private static final String IDENTITY = "identity: {issuer: https://tollgate.example.com, subject: tollgate-prod}";
  private static final String CLIENT_CREDENTIALS = String.join("\n",
      "      kind: client-credentials",
      "      token_url: https://idp.example.com/token",
      "      client_id: tollgate",
      "      client_secret_file: secrets/client-secret",
      "      scopes: [otel.write, otel.read]",
      "      audience: https://collector.example.com",
      "      refresh_at: 80%",
      "      backoff: {min: 2s, max: 5m}");

  static TollgateConfig read(String credential, String identity) {
    String yaml = String.format(BASE, credential, identity);
    return TollgateConfig.read(YamlFiles.parse(yaml, "t.yaml"), Path.of("/etc/tollgate"), false,
        new EnvSubstitution(name -> null), "t.yaml");
  }

  static CredentialConfig credential(String yaml) {
    return read(yaml, IDENTITY).upstreams().get("ingest").credential();
  }

  @Test
  void clientCredentialsWithASecretFile() {
    var c = (CredentialConfig.ClientCredentials) credential(CLIENT_CREDENTIALS);

    assertThat(c.request().tokenUrl()).isEqualTo(URI.create("https://idp.example.com/token"));
    assertThat(c.request().client()).isEqualTo(new TokenRequestConfig.ClientAuth("tollgate",
        TokenRequestConfig.Method.CLIENT_SECRET_BASIC, Path.of("/etc/tollgate/secrets/client-secret"), null, null));
    assertThat(c.request().scopes()).containsExactly("otel.write", "otel.read");
    assertThat(c.request().audiences()).containsExactly("https://collector.example.com");
    assertThat(c.refresh()).isEqualTo(new RefreshConfig(0.8, 0.1, Duration.ofSeconds(2), Duration.ofMinutes(5)));
    assertThat(c.header()).isEqualTo("Authorization");
    assertThat(c.scheme()).isEqualTo("Bearer");
  }

  @Test
  void privateKeyJwtIsChosenByTheKeyFile() {
    var c = (CredentialConfig.ClientCredentials) credential(CLIENT_CREDENTIALS
        .replace("client_secret_file: secrets/client-secret", "private_key_file: keys/client.pem\n      private_key_id: k1"));

    assertThat(c.request().client().method()).isEqualTo(TokenRequestConfig.Method.PRIVATE_KEY_JWT);
    assertThat(c.request().client().privateKeyFile()).isEqualTo(Path.of("/etc/tollgate/keys/client.pem"));
    assertThat(c.request().client().privateKeyId()).isEqualTo("k1");
  }

  @Test
  void tokenExchangeScopesPerProject() {
    var c = (CredentialConfig.TokenExchange) credential(String.join("\n",
        "      kind: token-exchange",
        "      token_url: https://idp.example.com/token",
        "      client_id: tollgate",
        "      client_auth: client_secret_post",
        "      client_secret_file: /run/secrets/tollgate",
        "      audience: [\"tempo-{project}\"]",
        "      scopes: [\"traces:{project}:read\"]"));

    assertThat(c.request().client().method()).isEqualTo(TokenRequestConfig.Method.CLIENT_SECRET_POST);
    assertThat(c.subjectTokenType()).isEqualTo(TokenRequestConfig.ACCESS_TOKEN_TYPE);
    TokenRequestConfig shop = c.request().forProject("shop");
    assertThat(shop.audiences()).containsExactly("tempo-shop");
    assertThat(shop.scopes()).containsExactly("traces:shop:read");
  }

  @Test
  void mintedDefaultsToES256FiveMinutesAndTheUpstreamAsAudience() {
    var c = (CredentialConfig.Minted) credential("      kind: minted");

    assertThat(c).isEqualTo(new CredentialConfig.Minted("ES256", null, Duration.ofMinutes(5), "Authorization", "Bearer"));
    IdentityConfig identity = read("      kind: minted", IDENTITY).identity();
    assertThat(identity).isEqualTo(new IdentityConfig("https://tollgate.example.com", "tollgate-prod",
        Duration.ofHours(24), Duration.ofHours(1), Duration.ofSeconds(30)));
  }

  @Test
  void mintedWithEdDsaAndACustomHeader() {
    var c = (CredentialConfig.Minted) credential(
        "      {kind: minted, algorithm: EdDSA, ttl: 90s, audience: otel, header: X-Upstream-Token}");

    assertThat(c).isEqualTo(new CredentialConfig.Minted("EdDSA", "otel", Duration.ofSeconds(90), "X-Upstream-Token", ""));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        bad("inline secret", CLIENT_CREDENTIALS + "\n      client_secret: hunter2",
            "upstreams.ingest.credential.client_secret: secrets are not accepted inline"),
        bad("plain http token endpoint", CLIENT_CREDENTIALS.replace("https://idp", "http://idp"),
            "upstreams.ingest.credential.token_url: must be https"),
        bad("no secret", CLIENT_CREDENTIALS.replace("      client_secret_file: secrets/client-secret\n", ""),
            "upstreams.ingest.credential.client_secret_file: is required for client_auth: client_secret_basic"),
        bad("misspelt method", CLIENT_CREDENTIALS + "\n      client_auth: client_secret_bsic",
            "client_auth: expected one of client_secret_basic, client_secret_post, private_key_jwt, got"
                + " \"client_secret_bsic\" (did you mean \"client_secret_basic\"?)"),
        bad("key file with a secret method", CLIENT_CREDENTIALS + "\n      client_auth: client_secret_post\n"
            + "      private_key_file: k.pem", "private_key_file: is only used with client_auth: private_key_jwt"),
        bad("refresh too late", CLIENT_CREDENTIALS.replace("80%", "0.99"), "refresh_at: must be between 0.1 and 0.95"),
        bad("misspelt kind", "      kind: client-credential",
            "kind: expected one of static-file, client-credentials, token-exchange, minted, none, got"
                + " \"client-credential\" (did you mean \"client-credentials\"?)"),
        bad("minted for an hour", "      {kind: minted, ttl: 1h}", "ttl: must be between 10s and 5m"),
        bad("HMAC minting", "      {kind: minted, algorithm: HS256}", "algorithm: expected ES256, RS256 or EdDSA"),
        bad("unknown minted key", "      {kind: minted, scopes: [x]}",
            "upstreams.ingest.credential.scopes: unknown key"));
  }

  private static Arguments bad(String name, String credential, String expected) {
    return Arguments.of(Named.of(name, credential), expected);
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void eachMistakeIsReportedWithItsPathAndFix(String credential, String expected) {
    assertThatThrownBy(() -> credential(credential))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected)));
  }

  @Test
  void mintingNeedsTollgatesIdentity() {
    assertThatThrownBy(() -> read("      kind: minted", ""))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "t.yaml: upstreams.ingest.credential.kind: minted needs a top-level identity section"
                + " (identity: {issuer: https://tollgate.example.com}) naming the issuer of the tokens"));
  }

  @Test
  void publishAheadMustBeShorterThanRotation() {
    assertThatThrownBy(() -> read("      kind: minted",
        "identity: {issuer: https://tollgate.example.com, rotate_every: 1h, publish_ahead: 2h}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(
            p -> assertThat(p).contains("identity.publish_ahead: must be positive and shorter than rotate_every")));
  }

  /** Backends fetch the keys of minted tokens from the issuer: plain http would let the path swap them. */
  @Test
  void tollgatesOwnIssuerMustBeHttpsOffLoopback() {
    assertThatThrownBy(() -> read("      kind: minted", "identity: {issuer: http://tollgate.example.com}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "t.yaml: identity.issuer: must be https (backends fetch the keys that verify Tollgate's minted tokens from"
                + " it: whoever can change them can sign any token); plain http is allowed only on loopback"
                + " (localhost, 127.0.0.0/8, ::1)"));
    assertThatThrownBy(() -> read("      kind: minted", "identity: {issuer: tollgate}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "t.yaml: identity.issuer: not an absolute https URL"));
    assertThat(read("      kind: minted", "identity: {issuer: \"http://127.0.0.1:8443\"}").identity().issuer())
        .isEqualTo("http://127.0.0.1:8443");
  }

  @Test
  void theSecretNeverAppearsInAnError() {
    assertThatThrownBy(() -> credential(CLIENT_CREDENTIALS + "\n      client_secret: hunter2"))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(String.join("\n", e.problems())).doesNotContain("hunter2"));
  }
}
