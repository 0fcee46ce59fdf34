package dev.tollgate.auth.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.config.TokenRequestConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * Tollgate's client authentication at a token endpoint: {@code client_secret_basic},
 * {@code client_secret_post} or {@code private_key_jwt} (RFC 7523). The secret or key file is read
 * for every token request (asynchronously), so a rotated file takes effect at the next one and no
 * secret outlives its use in memory longer than necessary.
 */
final class ClientAuthentication {
  private static final System.Logger LOG = System.getLogger(ClientAuthentication.class.getName());
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  /** Assertions are single-use proofs; a minute covers any clock skew a token endpoint tolerates. */
  static final Duration ASSERTION_TTL = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final TokenRequestConfig.ClientAuth config;
  private final URI tokenUrl;
  private final Clock clock;

  ClientAuthentication(Vertx vertx, TokenRequestConfig.ClientAuth config, URI tokenUrl, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.tokenUrl = tokenUrl;
    this.clock = clock;
  }

  /** Adds the client's proof to a token request's form or headers. Fails when the file cannot be used. */
  Future<Void> apply(MultiMap form, MultiMap headers) {
    switch (config.method()) {
      case CLIENT_SECRET_BASIC:
        return secret().map(secret -> {
          String pair = formEncode(config.clientId()) + ":" + formEncode(secret);
          headers.set("authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
          return null;
        });
      case CLIENT_SECRET_POST:
        return secret().map(secret -> {
          form.set("client_id", config.clientId()).set("client_secret", secret);
          return null;
        });
      default:
        return assertion().map(jwt -> {
          form.set("client_id", config.clientId())
              .set("client_assertion_type", ASSERTION_TYPE)
              .set("client_assertion", jwt);
          return null;
        });
    }
  }

  private Future<String> secret() {
    String file = config.secretFile().toString();
    return vertx.fileSystem().readFile(file)
        .recover(err -> unreadable("client secret file", file, err))
        .map(content -> {
          String secret = content.toString(StandardCharsets.UTF_8).strip();
          if (secret.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "client secret file " + file + " is empty");
            throw new CredentialUnavailable("client secret file is empty");
          }
          return secret;
        });
  }

  /** A fresh signed assertion; parsing the key and signing run on a worker, not the event loop. */
  private Future<String> assertion() {
    String file = config.privateKeyFile().toString();
    return vertx.fileSystem().readFile(file)
        .recover(err -> unreadable("private key file", file, err))
        .compose(content -> vertx.executeBlocking(() -> sign(
            PrivateKeys.parse(content.toString(StandardCharsets.UTF_8), config.privateKeyId(), file)), false))
        .recover(err -> {
          if (err instanceof IllegalArgumentException) {
            LOG.log(System.Logger.Level.WARNING, err.getMessage());
            return Future.failedFuture(new CredentialUnavailable("private key file unusable"));
          }
          return Future.failedFuture(err);
        });
  }

  private static <T> Future<T> unreadable(String what, String file, Throwable err) {
    LOG.log(System.Logger.Level.WARNING, what + " " + file + " unreadable: " + err.getClass().getSimpleName());
    return Future.failedFuture(new CredentialUnavailable(what + " unreadable"));
  }

  private String sign(PrivateKeys.SigningMaterial key) throws JOSEException {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(config.clientId())
        .subject(config.clientId())
        .audience(tokenUrl.toString())
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ASSERTION_TTL)))
        .build();
    JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(key.signer());
    return jwt.serialize();
  }

  /** RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
  private static String formEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
