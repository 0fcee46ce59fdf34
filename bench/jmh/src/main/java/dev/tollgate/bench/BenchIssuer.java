package dev.tollgate.bench;

import dev.tollgate.auth.TokenVerifier;
import dev.tollgate.bench.gen.Tokens;
import dev.tollgate.config.ClaimMapping;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.KeySource;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A local issuer whose keys a {@link TokenVerifier} reads from a {@code jwks_file}, as Tollgate's config does. */
final class BenchIssuer implements AutoCloseable {
  final Tokens tokens = Tokens.generate();
  final Vertx vertx = Vertx.vertx();
  private final Path dir;
  private final IssuerConfig config;

  BenchIssuer() throws IOException {
    dir = Files.createTempDirectory("tollgate-jmh-keys");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), tokens.jwks());
    config = new IssuerConfig("bench", Tokens.ISSUER, new KeySource.JwksFile(jwks), List.of(Tokens.AUDIENCE),
        false, Set.of("RS256"), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(30),
        ClaimMapping.DEFAULT);
  }

  /** A started verifier with a {@code cacheSize}-entry token cache, once its keys are loaded. */
  TokenVerifier verifier(long cacheSize) throws InterruptedException {
    TokenVerifier v = TokenVerifier.create(vertx, List.of(config), Clock.systemUTC(), null, cacheSize);
    v.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!v.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("keys not loaded from " + dir + ": " + v.status());
      }
      Thread.sleep(10);
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    vertx.close();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }
}
