package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;

/** Where an issuer's signing keys come from. */
public sealed interface KeySource {
  /**
   * {@code {issuer}/.well-known/openid-configuration}, then its {@code jwks_uri}. Both https, except
   * on loopback ({@link Loopback}): whoever can change the keys can sign any token.
   */
  record Discovery(URI configurationUrl) implements KeySource {}

  /** A JWKS document at an https URL (plain http only on loopback). */
  record JwksUrl(URI url) implements KeySource {}

  /** A JWKS document in a local file, re-read when it changes. */
  record JwksFile(Path file) implements KeySource {}

  /** Tollgate's built-in development issuer; refused outside {@code tollgate dev}. */
  record DevIssuer() implements KeySource {
    /** The dev issuer's {@code iss}: the {@code .invalid} domain can never belong to a real IdP. */
    public static final String ISSUER = "http://tollgate.dev.invalid/";
  }
}
