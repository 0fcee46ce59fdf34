package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** How Tollgate proves itself to an upstream. The caller's own token never goes upstream. */
public sealed interface CredentialConfig {
  /** The kinds a config may name, as spelt in YAML and audit events. */
  List<String> KINDS = List.of("static-file", "client-credentials", "token-exchange", "minted", "none");
  /** Minted tokens live at most this long, so a leaked one is useless within minutes. */
  Duration MAX_MINTED_TTL = Duration.ofMinutes(5);
  /** Algorithms Tollgate can mint with. */
  Set<String> MINTING_ALGORITHMS = Set.of("ES256", "RS256", "EdDSA");

  /** The header the credential is sent in, or {@code null} for none. */
  String header();

  /** A token read from a file and re-read when the file changes (Kubernetes secret swaps included). */
  record StaticFile(Path file, String header, String scheme, Duration poll) implements CredentialConfig {}

  /**
   * An OAuth2 client credentials grant, refreshed in the background ahead of expiry.
   *
   * @param request the token endpoint, client authentication, scopes and audience
   * @param refresh when to refresh ahead and how to back off after failures
   */
  record ClientCredentials(TokenRequestConfig request, RefreshConfig refresh, String header, String scheme)
      implements CredentialConfig {}

  /**
   * RFC 8693 token exchange: the caller's verified token is exchanged for an upstream token. In
   * {@code request}'s scopes, audiences and resources {@code {project}} stands for the project.
   *
   * @param subjectTokenType the {@code subject_token_type} sent (access token by default)
   * @param cacheSize how many exchanged tokens are kept, one per caller token and project
   */
  record TokenExchange(TokenRequestConfig request, String subjectTokenType, long cacheSize, String header,
      String scheme) implements CredentialConfig {}

  /**
   * A JWT Tollgate signs itself for each caller, with the keys of the top-level {@code identity}.
   *
   * @param audience the token's {@code aud}; null means the upstream's URL
   * @param ttl the token's lifetime, at most {@link #MAX_MINTED_TTL}
   */
  record Minted(String algorithm, String audience, Duration ttl, String header, String scheme)
      implements CredentialConfig {}

  /** No credential: only for upstreams that trust the network, such as the dev recorder. */
  record None() implements CredentialConfig {
    @Override
    public String header() {
      return null;
    }
  }

  static CredentialConfig read(ConfigNode n, Path baseDir) {
    if (n.isMissing()) {
      n.error("is required (use kind: none only for an upstream that needs no credential)");
      return new None();
    }
    String kind = n.get("kind").string();
    if (kind == null) {
      return new None();
    }
    switch (kind) {
      case "none":
        n.allowOnly("kind");
        return new None();
      case "static-file":
        return staticFile(n, baseDir);
      case "client-credentials":
        n.allowOnly(TokenRequestConfig.keys("kind", "header", "scheme", "refresh_at", "refresh_jitter", "backoff"));
        return new ClientCredentials(TokenRequestConfig.read(n, baseDir), RefreshConfig.read(n),
            header(n), scheme(n));
      case "token-exchange":
        n.allowOnly(TokenRequestConfig.keys("kind", "header", "scheme", "subject_token_type", "cache_size"));
        return new TokenExchange(TokenRequestConfig.read(n, baseDir),
            n.get("subject_token_type").string(TokenRequestConfig.ACCESS_TOKEN_TYPE),
            n.get("cache_size").number(10_000, 1, 10_000_000), header(n), scheme(n));
      case "minted":
        return minted(n);
      default:
        n.get("kind").error("expected one of " + String.join(", ", KINDS) + ", got \"" + kind + "\""
            + Suggestions.didYouMean(kind, KINDS));
        return new None();
    }
  }

  private static StaticFile staticFile(ConfigNode n, Path baseDir) {
    n.allowOnly("kind", "file", "header", "scheme", "poll");
    String file = n.get("file").string();
    return new StaticFile(file == null ? null : baseDir.resolve(file), header(n), scheme(n),
        n.get("poll").duration(Duration.ofSeconds(2)));
  }

  private static Minted minted(ConfigNode n) {
    n.allowOnly("kind", "algorithm", "audience", "ttl", "header", "scheme");
    String alg = n.get("algorithm").string("ES256");
    if (!MINTING_ALGORITHMS.contains(alg)) {
      n.get("algorithm").error("expected ES256, RS256 or EdDSA, got \"" + alg + "\""
          + Suggestions.didYouMean(alg, MINTING_ALGORITHMS));
    }
    Duration ttl = n.get("ttl").duration(MAX_MINTED_TTL);
    if (ttl.compareTo(MAX_MINTED_TTL) > 0 || ttl.compareTo(Duration.ofSeconds(10)) < 0) {
      n.get("ttl").error("must be between 10s and 5m (minted tokens are short-lived by design)");
    }
    return new Minted(alg, n.get("audience").string(null), ttl, header(n), scheme(n));
  }

  private static String header(ConfigNode n) {
    return n.get("header").string("Authorization");
  }

  /** Bearer for the Authorization header, nothing for custom headers such as lightstep-access-token. */
  private static String scheme(ConfigNode n) {
    return n.get("scheme").string(header(n).equalsIgnoreCase("authorization") ? "Bearer" : "");
  }
}
