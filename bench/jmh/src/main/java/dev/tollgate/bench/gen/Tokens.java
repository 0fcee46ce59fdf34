package dev.tollgate.bench.gen;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A local RS256 issuer for the benchmarks: one RSA key, its JWKS (for Tollgate), its public key in
 * PEM (for HAProxy's {@code jwt_verify}) and signed access tokens. Nothing leaves the machine.
 *
 * <p>Usage: {@code Tokens OUT_DIR CALLERS HOURS} writes {@code jwks.json}, {@code pubkey.pem},
 * {@code writer.jwt} (the collector that sends every ingest scenario), {@code reader.jwt} (a
 * developer, for the query scenario), {@code callers.jwt} (CALLERS distinct workloads, one token
 * a line) and {@code callers-warmup.jwt} (CALLERS more, for warming up without caching the measured
 * ones), all valid for HOURS hours.
 */
public final class Tokens {
  public static final String ISSUER = "https://idp.bench.invalid/";
  public static final String AUDIENCE = "tollgate";
  public static final String WRITERS = "shop-writers";
  public static final String READERS = "shop-developers";
  private final RSAKey key;
  private final RSASSASigner signer;

  private Tokens(RSAKey key) throws JOSEException {
    this.key = key;
    this.signer = new RSASSASigner(key);
  }

  /** A fresh 2048-bit RSA issuer key with key id {@code bench-1}. */
  public static Tokens generate() {
    try {
      return new Tokens(new RSAKeyGenerator(2048).keyID("bench-1").generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  /** {"keys":[...]} with the public key only. */
  public String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** The public key as {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo). */
  public String publicKeyPem() throws JOSEException {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(key.toPublicKey().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  /** A compact RS256 access token for {@code client}, in {@code group}, valid for {@code validity}. */
  public String token(String client, String group, Duration validity) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(client)
        .claim("azp", client)
        .claim("groups", List.of(group))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(validity)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** {@code count} tokens of distinct workloads, numbered from {@code first}, one a line. */
  private String callers(int first, int count, Duration validity) {
    // One RSA signature per token; both cores share the work.
    return IntStream.range(first, first + count).parallel()
        .mapToObj(i -> token(String.format("workload-%06d", i), WRITERS, validity))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  public static void main(String[] args) throws IOException, JOSEException {
    if (args.length != 3) {
      System.err.println("usage: Tokens OUT_DIR CALLERS HOURS");
      System.exit(64);
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    int callers = Integer.parseInt(args[1]);
    Duration validity = Duration.ofHours(Long.parseLong(args[2]));
    Tokens tokens = generate();
    Files.writeString(out.resolve("jwks.json"), tokens.jwks());
    Files.writeString(out.resolve("pubkey.pem"), tokens.publicKeyPem());
    Files.writeString(out.resolve("writer.jwt"), tokens.token("shop-collector", WRITERS, validity) + "\n");
    Files.writeString(out.resolve("reader.jwt"), tokens.token("alice", READERS, validity) + "\n");
    Files.writeString(out.resolve("callers.jwt"), tokens.callers(0, callers, validity));
    Files.writeString(out.resolve("callers-warmup.jwt"), tokens.callers(callers, callers, validity));
  }
}
