package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request to an OAuth2 token endpoint: where, how Tollgate authenticates as a client, and what
 * it asks for. Secrets are named by file and read at run time, so a rotated secret takes effect
 * without a restart and never sits in the config.
 *
 * @param scopes sent as one space-separated {@code scope} parameter; empty sends none
 * @param audiences one {@code audience} parameter each (RFC 8693, also accepted by many IdPs for
 *     client credentials)
 * @param resources one {@code resource} parameter each (RFC 8707)
 * @param timeout how long one token request may take before it counts as failed
 */
public record TokenRequestConfig(URI tokenUrl, ClientAuth client, List<String> scopes, List<String> audiences,
    List<String> resources, Duration timeout) {

  /** RFC 8693 token type of an OAuth2 access token. */
  public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final List<String> KEYS = List.of("token_url", "client_id", "client_auth", "client_secret",
      "client_secret_file", "private_key_file", "private_key_id", "scopes", "audience", "resource", "timeout");

  /** How Tollgate authenticates to the token endpoint (RFC 6749 section 2.3, RFC 7523). */
  public enum Method {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String id;

    Method(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /**
   * The client's identity at the IdP.
   *
   * @param secretFile the client secret's file, for the two {@code client_secret_*} methods
   * @param privateKeyFile a PKCS#8 PEM (RSA or EC P-256) or JWK file, for {@code private_key_jwt}
   * @param privateKeyId the {@code kid} put in the assertion header, or null
   */
  public record ClientAuth(String clientId, Method method, Path secretFile, Path privateKeyFile,
      String privateKeyId) {}

  /** The keys this section reads, plus {@code more} of the enclosing credential, for allowOnly. */
  static String[] keys(String... more) {
    List<String> all = new ArrayList<>(KEYS);
    all.addAll(Arrays.asList(more));
    return all.toArray(String[]::new);
  }

  static TokenRequestConfig read(ConfigNode n, Path baseDir) {
    String url = n.get("token_url").string();
    URI tokenUrl = url == null ? URI.create("http://invalid/")
        : Urls.httpsUrl(url, n.get("token_url"), "client secrets and tokens would cross the network in clear");
    return new TokenRequestConfig(tokenUrl, clientAuth(n, baseDir), n.get("scopes").strings(),
        n.get("audience").strings(), n.get("resource").strings(), n.get("timeout").duration(Duration.ofSeconds(10)));
  }

  private static ClientAuth clientAuth(ConfigNode n, Path baseDir) {
    if (!n.get("client_secret").isMissing()) {
      n.get("client_secret").error("secrets are not accepted inline; put it in a file and name it with"
          + " client_secret_file");
    }
    String clientId = n.get("client_id").string();
    String secret = n.get("client_secret_file").string(null);
    String key = n.get("private_key_file").string(null);
    Method method = method(n.get("client_auth"), key != null);
    if (method == Method.PRIVATE_KEY_JWT) {
      if (key == null) {
        n.get("private_key_file").error("is required for client_auth: private_key_jwt");
      }
      if (secret != null) {
        n.get("client_secret_file").error("is not used with private_key_jwt; remove it");
      }
    } else {
      if (secret == null) {
        n.get("client_secret_file").error("is required for client_auth: " + method.id());
      }
      if (key != null) {
        n.get("private_key_file").error("is only used with client_auth: private_key_jwt");
      }
    }
    return new ClientAuth(clientId, method, secret == null ? null : baseDir.resolve(secret),
        key == null ? null : baseDir.resolve(key), n.get("private_key_id").string(null));
  }

  private static Method method(ConfigNode n, boolean hasKey) {
    String id = n.string(hasKey ? Method.PRIVATE_KEY_JWT.id() : Method.CLIENT_SECRET_BASIC.id());
    List<String> ids = Arrays.stream(Method.values()).map(Method::id).toList();
    for (Method m : Method.values()) {
      if (m.id().equals(id)) {
        return m;
      }
    }
    n.error("expected one of " + String.join(", ", ids) + ", got \"" + id + "\"" + Suggestions.didYouMean(id, ids));
    return Method.CLIENT_SECRET_BASIC;
  }

  /** This request with {@code {project}} replaced in scopes, audiences and resources. */
  public TokenRequestConfig forProject(String project) {
    return new TokenRequestConfig(tokenUrl, client, substitute(scopes, project), substitute(audiences, project),
        substitute(resources, project), timeout);
  }

  private static List<String> substitute(List<String> values, String project) {
    return values.stream().map(v -> v.replace("{project}", project)).toList();
  }
}
