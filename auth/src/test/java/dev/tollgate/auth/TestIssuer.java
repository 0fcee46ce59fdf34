package dev.tollgate.auth;

import dev.tollgate.config.ClaimMapping;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.KeySource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Builds {@link IssuerConfig}s with production defaults, except a refresh long enough not to tick during a test. */
final class TestIssuer {
  private final String name;
  private final String issuer;
  private final KeySource keys;
  private List<String> audiences = List.of("tollgate");
  private boolean acceptAzp;
  private Set<String> algorithms = IssuerConfig.DEFAULT_ALGORITHMS;
  private Duration clockSkew = Duration.ofSeconds(30);
  private Duration jwksMinRefetch = Duration.ofSeconds(30);
  private ClaimMapping claims = ClaimMapping.DEFAULT;

  private TestIssuer(String name, String issuer, KeySource keys) {
    this.name = name;
    this.issuer = issuer;
    this.keys = keys;
  }

  static TestIssuer jwksUrl(String name, String issuer, Object url) {
    return new TestIssuer(name, issuer, new KeySource.JwksUrl(URI.create(url.toString())));
  }

  static TestIssuer discovery(String name, String issuer, URI configurationUrl) {
    return new TestIssuer(name, issuer, new KeySource.Discovery(configurationUrl));
  }

  static TestIssuer jwksFile(String name, String issuer, Path file) {
    return new TestIssuer(name, issuer, new KeySource.JwksFile(file));
  }

  static TestIssuer dev(String name) {
    return new TestIssuer(name, DevIssuer.ISSUER, new KeySource.DevIssuer());
  }

  TestIssuer audiences(String... values) {
    audiences = List.of(values);
    return this;
  }

  TestIssuer acceptAzp() {
    acceptAzp = true;
    return this;
  }

  TestIssuer algorithms(String... values) {
    algorithms = Set.of(values);
    return this;
  }

  TestIssuer claims(ClaimMapping mapping) {
    claims = mapping;
    return this;
  }

  TestIssuer clockSkew(Duration skew) {
    clockSkew = skew;
    return this;
  }

  TestIssuer minRefetch(Duration interval) {
    jwksMinRefetch = interval;
    return this;
  }

  IssuerConfig build() {
    return new IssuerConfig(name, issuer, keys, audiences, acceptAzp, algorithms, clockSkew, Duration.ofHours(1),
        jwksMinRefetch, claims);
  }
}
