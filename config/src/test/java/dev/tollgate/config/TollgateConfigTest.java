package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TollgateConfigTest {
  private static final String VALID = String.join("\n",
      "server: {port: 4318, max_body: 4MiB}",
      "issuers:",
      "  - name: corp",
      "    issuer: https://idp.example.com/realms/corp",
      "    audiences: [tollgate]",
      "    claims: {groups: [realm_access.roles]}",
      "projects:",
      "  - name: shop-prod",
      "upstreams:",
      "  ingest:",
      "    url: http://collector:4318",
      "    tenant_header: X-Scope-OrgID",
      "    credential: {kind: static-file, file: /run/secrets/token, header: lightstep-access-token}",
      "policy: {files: [policy.yaml]}",
      "audit: {file: audit.jsonl}",
      "");

  private static final EnvSubstitution NO_ENV = new EnvSubstitution(name -> null);

  static TollgateConfig read(String yaml, boolean dev, EnvSubstitution env) {
    return TollgateConfig.read(YamlFiles.parse(yaml, "t.yaml"), Path.of("/etc/tollgate"), dev, env, "t.yaml");
  }

  @Test
  void readsAValidConfigWithDefaults() {
    TollgateConfig c = read(VALID, false, NO_ENV);
    assertThat(c.server().maxBodyBytes()).isEqualTo(4L << 20);
    assertThat(c.server().idleSpin()).isZero();
    IssuerConfig issuer = c.issuers().get(0);
    assertThat(issuer.keys()).isEqualTo(new KeySource.Discovery(
        java.net.URI.create("https://idp.example.com/realms/corp/.well-known/openid-configuration")));
    assertThat(issuer.algorithms()).doesNotContain("HS256", "none");
    assertThat(issuer.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(issuer.claims().groups()).containsExactly("realm_access.roles");
    assertThat(c.projects().get(0).tenant()).isEqualTo("shop-prod");
    CredentialConfig.StaticFile cred = (CredentialConfig.StaticFile) c.upstreams().get("ingest").credential();
    assertThat(cred.header()).isEqualTo("lightstep-access-token");
    assertThat(cred.scheme()).isEmpty();
    assertThat(c.policyFiles()).containsExactly(Path.of("/etc/tollgate/policy.yaml"));
    assertThat(c.audit().file()).isEqualTo(Path.of("/etc/tollgate/audit.jsonl"));
  }

  @Test
  void idleSpinIsReadInMicrosecondsUpToOneMillisecond() {
    TollgateConfig c = read(VALID.replace("max_body: 4MiB", "max_body: 4MiB, idle_spin: 50us"), false, NO_ENV);
    assertThat(c.server().idleSpin()).isEqualTo(Duration.ofNanos(50_000));
    c = read(VALID.replace("max_body: 4MiB", "max_body: 4MiB, idle_spin: 1ms"), false, NO_ENV);
    assertThat(c.server().idleSpin()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void substitutesEnvironmentVariables() {
    String yaml = VALID.replace("http://collector:4318", "${COLLECTOR_URL}")
        .replace("port: 4318", "port: \"${PORT:-9999}\"");
    TollgateConfig c = read(yaml, false, new EnvSubstitution(Map.of("COLLECTOR_URL", "https://c.example:4318")::get));
    assertThat(c.upstreams().get("ingest").url().toString()).isEqualTo("https://c.example:4318");
    assertThat(c.server().port()).isEqualTo(9999);
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("upstream URL not absolute", VALID.replace("http://collector:4318", "collector:4318"),
            "t.yaml: upstreams.ingest.url: not an absolute http(s) URL"),
        bad("unset env var", VALID.replace("http://collector:4318", "${NOPE}"),
            "upstreams.ingest.url: environment variable NOPE is not set"),
        bad("misspelt key", VALID.replace("tenant_header", "tenant_headr"),
            "upstreams.ingest.tenant_headr: unknown key (did you mean \"tenant_header\"?)"),
        bad("project with a pipe", VALID.replace("shop-prod", "shop|prod"),
            "projects[0].name: \"shop|prod\" is not a project name"),
        bad("project with dots", VALID.replace("shop-prod", "../prod"),
            "projects[0].name: \"../prod\" is not a project name"),
        bad("unknown upstream", VALID.replace("  - name: shop-prod", "  - name: shop-prod\n    upstream: ingst"),
            "projects[0].upstream: unknown upstream \"ingst\" (did you mean \"ingest\"?)"),
        bad("no audience", VALID.replace("    audiences: [tollgate]\n", ""),
            "issuers[0].audiences: at least one audience is required"),
        bad("unknown algorithm", VALID.replace("audiences: [tollgate]", "audiences: [tollgate]\n    algorithms: [RS265]"),
            "issuers[0].algorithms: unsupported algorithm \"RS265\" (did you mean \"RS256\"?)"),
        bad("HMAC algorithm", VALID.replace("audiences: [tollgate]", "audiences: [tollgate]\n    algorithms: [HS256]"),
            "issuers[0].algorithms: HS256 is not accepted: a shared secret"),
        bad("dev issuer with another iss", VALID.replace("    audiences: [tollgate]", "    kind: dev\n    audiences: [tollgate]"),
            "issuers[0].issuer: the development issuer's issuer is always http://tollgate.dev.invalid/"),
        bad("dev issuer outside dev", VALID.replace("    audiences: [tollgate]", "    kind: dev\n    audiences: [tollgate]"),
            "issuers[0].kind: the development issuer is only allowed in `tollgate dev`"),
        bad("bad duration", VALID.replace("audiences: [tollgate]", "audiences: [tollgate]\n    clock_skew: 30 seconds"),
            "issuers[0].clock_skew: expected a duration like 250ms, 30s, 5m or 1h"),
        bad("microseconds where a millisecond timer is meant", VALID.replace("audiences: [tollgate]",
                "audiences: [tollgate]\n    clock_skew: 500us"),
            "issuers[0].clock_skew: expected a duration like 250ms, 30s, 5m or 1h, got \"500us\""),
        bad("duration beyond a long", VALID.replace("audiences: [tollgate]",
                "audiences: [tollgate]\n    clock_skew: 99999999999999999999s"),
            "issuers[0].clock_skew: duration too large"),
        bad("idle spin too long", VALID.replace("max_body: 4MiB", "max_body: 4MiB, idle_spin: 1001us"),
            "server.idle_spin: at most 1ms"),
        bad("idle spin that overflows", VALID.replace("max_body: 4MiB", "max_body: 4MiB, idle_spin: 9223372036854775807us"),
            "server.idle_spin: duration too large"),
        bad("bad port", VALID.replace("port: 4318", "port: 70000"),
            "server.port: must be between 0 and 65535, got 70000"),
        bad("tenant header Tollgate sets itself", VALID.replace("X-Scope-OrgID", "Content-Length"),
            "upstreams.ingest.tenant_header: cannot be Content-Length, a header Tollgate sets itself"),
        bad("credential header Tollgate sets itself", VALID.replace("header: lightstep-access-token", "header: HOST"),
            "upstreams.ingest.credential.header: cannot be HOST, a header Tollgate sets itself"),
        bad("credential header that is the tenant header", VALID.replace("header: lightstep-access-token",
                "header: x-scope-orgid"),
            "upstreams.ingest.credential.header: cannot be x-scope-orgid: it is this upstream's tenant_header; pick another header"),
        bad("no credential", VALID.replace(
            "    credential: {kind: static-file, file: /run/secrets/token, header: lightstep-access-token}\n", ""),
            "upstreams.ingest.credential: is required"),
        bad("no policy", VALID.replace("policy: {files: [policy.yaml]}\n", ""),
            "policy.files: at least one policy file is required"),
        bad("duplicate keys", VALID + "audit: {file: other.jsonl}\n", "t.yaml:"),
        bad("issuer discovered over http", VALID.replace("https://idp.example.com", "http://idp.example.com"),
            "t.yaml: issuers[0].issuer: must be https (anyone on the path could swap in their own keys and sign any"
                + " token); plain http is allowed only on loopback (localhost, 127.0.0.0/8, ::1)"),
        bad("jwks_url over http", VALID.replace("audiences: [tollgate]",
                "jwks_url: http://idp.example.com/certs\n    audiences: [tollgate]"),
            "t.yaml: issuers[0].jwks_url: must be https (anyone on the path could swap in their own keys"),
        bad("http on a name that only looks local", VALID.replace("https://idp.example.com",
                "http://localhost.example.com"), "issuers[0].issuer: must be https"),
        bad("http on a private address", VALID.replace("https://idp.example.com", "http://10.0.0.7"),
            "issuers[0].issuer: must be https"),
        bad("issuer with a password in it", VALID.replace("https://idp.example.com", "https://me:s3cret@idp.example.com"),
            "issuers[0].issuer: must not carry credentials (user:password@)"),
        bad("upstream with a password in it", VALID.replace("http://collector:4318", "http://ingest:s3cret@collector:4318"),
            "upstreams.ingest.url: must not carry credentials (user:password@)"));
  }

  private static Arguments bad(String name, String yaml, String expected) {
    return Arguments.of(Named.of(name, yaml), expected);
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void reportsEveryProblemWithItsPath(String yaml, String expected) {
    assertThatThrownBy(() -> read(yaml, false, NO_ENV))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p).contains(expected)));
  }

  /** The error names where the credential is, never the credential. */
  @Test
  void aPasswordInAUrlIsNotRepeatedInTheError() {
    String yaml = VALID.replace("https://idp.example.com", "https://me:s3cret@idp.example.com")
        .replace("http://collector:4318", "http://ingest:s3cret@collector:4318");
    assertThatThrownBy(() -> read(yaml, false, NO_ENV))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).hasSize(2).noneSatisfy(p -> assertThat(p).contains("s3cret"));
          assertThat(e.getMessage()).doesNotContain("s3cret");
        });
  }

  @Test
  void reportsAllProblemsAtOnce() {
    String yaml = VALID.replace("http://collector:4318", "nope").replace("tenant_header", "tenant");
    assertThatThrownBy(() -> read(yaml, false, NO_ENV))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.3.4.5", "http://localhost:8080", "http://[::1]:8080"})
  void plainHttpKeysAreAllowedOnLoopback(String base) {
    String yaml = VALID.replace("https://idp.example.com", base)
        .replace("audiences: [tollgate]", "audiences: [tollgate]\n  - name: files\n    issuer: " + base
            + "/files\n    jwks_url: " + base + "/certs\n    audiences: [tollgate]");
    TollgateConfig c = read(yaml, false, NO_ENV);
    assertThat(((KeySource.Discovery) c.issuers().get(0).keys()).configurationUrl().getScheme()).isEqualTo("http");
    assertThat(((KeySource.JwksUrl) c.issuers().get(1).keys()).url().toString()).isEqualTo(base + "/certs");
  }

  @Test
  void anHttpIssuerIsFineWhenItsKeysComeFromElsewhere() {
    String yaml = VALID.replace("https://idp.example.com/realms/corp", "http://idp.example.com/realms/corp")
        .replace("audiences: [tollgate]", "jwks_url: https://idp.example.com/certs\n    audiences: [tollgate]");
    assertThat(read(yaml, false, NO_ENV).issuers().get(0).issuer()).isEqualTo("http://idp.example.com/realms/corp");
  }

  @Test
  void devIssuerAllowedInDevMode() {
    String yaml = VALID.replace("    issuer: https://idp.example.com/realms/corp\n", "    kind: dev\n");
    IssuerConfig dev = read(yaml, true, NO_ENV).issuers().get(0);
    assertThat(dev.keys()).isInstanceOf(KeySource.DevIssuer.class);
    assertThat(dev.issuer()).isEqualTo(KeySource.DevIssuer.ISSUER);
  }
}
