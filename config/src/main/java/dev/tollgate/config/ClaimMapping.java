package dev.tollgate.config;

import java.util.List;

/**
 * Where a token keeps who the caller is. Paths are dotted ({@code realm_access.roles}); the first
 * client-id path present wins; groups are the union of every group path.
 */
public record ClaimMapping(String subject, List<String> clientId, List<String> groups) {
  public static final ClaimMapping DEFAULT =
      new ClaimMapping("sub", List.of("azp", "client_id"), List.of("groups", "roles"));

  static ClaimMapping read(ConfigNode n) {
    n.allowOnly("subject", "client_id", "groups");
    List<String> client = n.get("client_id").strings();
    List<String> groups = n.get("groups").strings();
    return new ClaimMapping(
        n.get("subject").string(DEFAULT.subject()),
        client.isEmpty() ? DEFAULT.clientId() : client,
        groups.isEmpty() ? DEFAULT.groups() : groups);
  }
}
