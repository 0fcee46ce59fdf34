package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.Presentation;

/**
 * Which credential a request went upstream with, in terms an audit event may carry: the kind and
 * the key id, never the value.
 *
 * @param kind as named in config ({@code client-credentials}, {@code minted}, ...)
 * @param keyId the signing key id, token {@code jti} or load counter; null when unknown
 * @param renewed whether the first credential was refused (401/403) and a renewed one was sent
 */
public record CredentialUse(String kind, String keyId, boolean renewed) {
  static CredentialUse of(String kind, Presentation p, boolean renewed) {
    return new CredentialUse(kind, p == null ? null : p.keyId(), renewed);
  }
}
