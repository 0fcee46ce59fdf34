package dev.tollgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate config check}: ok and exit 0, or every problem with its path and exit 2. */
class ConfigCheckTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void shippedProductionExampleChecksOk() {
    assertThat(run("config", "check", "../policies-examples/iis-web-tier/config.yaml")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(": ok (2 projects, 1 issuers, policy sha256:");
  }

  /**
   * The benchmark's config, filled in as bench/lib/prepare.sh fills it, with the benchmark's
   * policy: what bench/run.sh measures must stay a config Tollgate accepts.
   */
  @Test
  void theBenchmarkConfigChecksOk() throws Exception {
    Path conf = Path.of("../bench/conf").toAbsolutePath().normalize();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(new RSAKeyGenerator(2048).keyID("bench").generate()
        .toPublicJWK()).toString());
    Files.writeString(dir.resolve("upstream-token"), "bench-upstream-token\n");
    String yaml = Files.readString(conf.resolve("tollgate.yaml"))
        .replace("@TOLLGATE_PORT@", "18483").replace("@THREADS@", "1").replace("@IDLE_SPIN@", "50us")
        .replace("@SINK_PORT@", "18480").replace("@KEYS@", dir.toString()).replace("@CONF@", conf.toString())
        .replace("@ISSUER@", "https://idp.bench.invalid/");
    assertThat(yaml).doesNotContainPattern("@[A-Z_]+@");
    Files.writeString(dir.resolve("tollgate.yaml"), yaml);
    assertThat(run("config", "check", dir.resolve("tollgate.yaml").toString())).as(err.toString(StandardCharsets.UTF_8))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(": ok (1 projects, 1 issuers, policy sha256:");
  }

  @Test
  void devIssuerIsRefusedOutsideDevMode() {
    assertThat(run("config", "check", "../policies-examples/quickstart/config.yaml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("issuers[0].kind: the development issuer is only allowed");
  }

  @Test
  void everyProblemIsPrintedWithItsPath() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "roles:",
        "  - name: w",
        "    rules: [{actions: [write], projects: [shop-prd]}]",
        "bindings: [{role: w, clients: [c]}]", ""));
    Files.writeString(dir.resolve("tollgate.yaml"), String.join("\n",
        "issuers: [{name: corp, issuer: 'https://idp.example.com', audiences: [tollgate]}]",
        "projects: [{name: shop-prod}]",
        "upstreams: {ingest: {url: 'collector:4318', credential: {kind: none}}}",
        "policy: {files: [policy.yaml]}", ""));
    assertThat(run("config", "check", dir.resolve("tollgate.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("upstreams.ingest.url: not an absolute http(s) URL");

    Files.writeString(dir.resolve("tollgate.yaml"), Files.readString(dir.resolve("tollgate.yaml"))
        .replace("collector:4318", "http://collector:4318"));
    err.reset();
    assertThat(run("config", "check", dir.resolve("tollgate.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("roles[0].rules[0].projects: unknown project \"shop-prd\" (did you mean \"shop-prod\"?)");
  }

  @Test
  void withTwoIssuersEveryBindingNamesItsIssuers() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "roles: [{name: w, rules: [{actions: [write], projects: [shop]}]}]",
        "bindings:",
        "  - {role: w, issuers: [corp], clients: [shop-collector]}",
        "  - {role: w, clients: [shop-collector]}",
        "  - {role: w, issuers: [partner], clients: [feed]}", ""));
    Files.writeString(dir.resolve("tollgate.yaml"), String.join("\n",
        "issuers:",
        "  - {name: corp, issuer: 'https://idp.example.com/realms/corp', audiences: [tollgate]}",
        "  - {name: partners, issuer: 'https://idp.example.com/realms/partners', audiences: [tollgate]}",
        "projects: [{name: shop}]",
        "upstreams: {ingest: {url: 'http://collector:4318', credential: {kind: none}}}",
        "policy: {files: [policy.yaml]}", ""));

    assertThat(run("config", "check", dir.resolve("tollgate.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        dir.resolve("policy.yaml") + ": bindings[1].issuers: is required when Tollgate trusts more than one issuer,"
            + " as the same user, client or group name can belong to different callers at each; add issuers: [corp]"
            + " (configured: corp, partners)",
        dir.resolve("policy.yaml") + ": bindings[2].issuers: unknown issuer \"partner\" (did you mean"
            + " \"partners\"?); use the issuer's name from the config, not its URL");
  }

  @Test
  void unknownCommandPrintsUsage() {
    assertThat(run("frobnicate")).isEqualTo(64);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("tollgate serve --config FILE");
  }
}
