package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One trusted token issuer, chosen for a token by its {@code iss} claim. */
public record IssuerConfig(
    String name,
    String issuer,
    KeySource keys,
    List<String> audiences,
    boolean acceptAzp,
    Set<String> algorithms,
    Duration clockSkew,
    Duration jwksRefresh,
    Duration jwksMinRefetch,
    ClaimMapping claims) {

  /** Asymmetric algorithms only: HMAC or {@code none} must never verify a token. */
  public static final Set<String> DEFAULT_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  static final Set<String> ASYMMETRIC = DEFAULT_ALGORITHMS;
  static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
  private static final String KEY_RISK = "anyone on the path could swap in their own keys and sign any token";

  /** The issuers' names ({@code issuers[].name}) in config order, which policy bindings refer to. */
  public static Set<String> names(List<IssuerConfig> issuers) {
    Set<String> names = new LinkedHashSet<>();
    issuers.forEach(i -> names.add(i.name()));
    return Collections.unmodifiableSet(names);
  }

  static IssuerConfig read(ConfigNode n, Path baseDir, boolean devMode) {
    n.allowOnly("name", "issuer", "kind", "discovery", "jwks_url", "jwks_file", "audiences",
        "accept_azp", "algorithms", "clock_skew", "jwks_refresh", "jwks_min_refetch", "claims");
    String name = n.get("name").string();
    boolean dev = "dev".equals(n.get("kind").string(null));
    String issuer = dev ? n.get("issuer").string(KeySource.DevIssuer.ISSUER) : n.get("issuer").string();
    if (dev && !KeySource.DevIssuer.ISSUER.equals(issuer)) {
      n.get("issuer").error("the development issuer's issuer is always " + KeySource.DevIssuer.ISSUER);
    }
    KeySource keys = keys(n, issuer, baseDir, devMode);
    List<String> audiences = n.get("audiences").strings();
    if (audiences.isEmpty()) {
      n.get("audiences").error("at least one audience is required (tokens for other services must not be accepted)");
    }
    List<String> algs = n.get("algorithms").strings();
    for (String alg : algs) {
      if (HMAC.contains(alg)) {
        n.get("algorithms").error(alg + " is not accepted: a shared secret would let anyone holding it mint tokens;"
            + " use the issuer's asymmetric keys (RS256, ES256, ...)");
      } else if (alg.equals("EdDSA")) {
        n.get("algorithms").error("EdDSA is not supported yet; use RS*, PS* or ES*");
      } else if (!ASYMMETRIC.contains(alg)) {
        n.get("algorithms").error("unsupported algorithm \"" + alg + "\"" + Suggestions.didYouMean(alg, ASYMMETRIC));
      }
    }
    return new IssuerConfig(name, issuer, keys, List.copyOf(audiences),
        n.get("accept_azp").bool(false),
        algs.isEmpty() ? DEFAULT_ALGORITHMS : Set.copyOf(algs),
        n.get("clock_skew").duration(Duration.ofSeconds(30)),
        n.get("jwks_refresh").duration(Duration.ofMinutes(5)),
        n.get("jwks_min_refetch").duration(Duration.ofSeconds(30)),
        ClaimMapping.read(n.get("claims")));
  }

  private static KeySource keys(ConfigNode n, String issuer, Path baseDir, boolean devMode) {
    String kind = n.get("kind").string("oidc");
    if (kind.equals("dev")) {
      if (!devMode) {
        n.get("kind").error("the development issuer is only allowed in `tollgate dev`; it signs tokens for anyone");
      }
      return new KeySource.DevIssuer();
    }
    if (!kind.equals("oidc")) {
      n.get("kind").error("expected oidc or dev, got \"" + kind + "\"");
    }
    String url = n.get("jwks_url").string(null);
    String file = n.get("jwks_file").string(null);
    if (url != null && file != null) {
      n.error("give jwks_url or jwks_file, not both");
    }
    if (url != null) {
      return new KeySource.JwksUrl(Urls.httpsUrl(url, n.get("jwks_url"), KEY_RISK));
    }
    if (file != null) {
      return new KeySource.JwksFile(baseDir.resolve(file));
    }
    if (issuer == null) {
      return new KeySource.Discovery(URI.create("http://invalid/"));
    }
    // Keys are discovered from the issuer URL, so it carries the same risk as a jwks_url.
    URI base = Urls.httpsUrl(issuer, n.get("issuer"), KEY_RISK);
    String s = base.toString();
    return new KeySource.Discovery(URI.create((s.endsWith("/") ? s : s + "/") + ".well-known/openid-configuration"));
  }
}
