package dev.tollgate.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as the policy sees it: the issuer that vouched for the caller (its config name,
 * {@code issuers[].name}, matched by bindings' {@code issuers}), the token subject ({@code users}),
 * the OAuth client id ({@code clients}) and the groups or roles claimed ({@code groups}). Names are
 * only meaningful per issuer: {@code alice} of one IdP realm is not {@code alice} of another.
 *
 * <p>The issuer is never {@code null}; subject and client id may be; groups are never {@code null}
 * and must not contain {@code null}.
 */
public record Identity(String issuer, String subject, String clientId, Set<String> groups) {
  public Identity {
    Objects.requireNonNull(issuer, "issuer");
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  /** A person or workload of {@code issuer} known by its subject, with the given groups. */
  public static Identity user(String issuer, String subject, String... groups) {
    return new Identity(issuer, subject, null, Set.of(groups));
  }

  /** A workload of {@code issuer} known only by its OAuth client id. */
  public static Identity client(String issuer, String clientId) {
    return new Identity(issuer, null, clientId, Set.of());
  }

  /**
   * How reasons name the caller: by client for workloads, by subject for people, and always with
   * the issuer, e.g. {@code client "shop-collector" from issuer corp}.
   */
  String describe() {
    String from = " from issuer " + issuer;
    if (subject != null && clientId != null && !subject.equals(clientId)) {
      return "user \"" + subject + "\" (client \"" + clientId + "\")" + from;
    }
    if (clientId != null) {
      return "client \"" + clientId + "\"" + from;
    }
    if (subject != null) {
      return "user \"" + subject + "\"" + from;
    }
    return "anonymous caller" + from;
  }
}
