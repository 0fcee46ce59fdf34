package dev.tollgate.auth.upstream;

/**
 * No credential can be presented right now (token endpoint down, key not generated yet, file
 * unreadable). The sender should retry later. The message is safe for logs and error bodies: it
 * never holds a secret or a token endpoint's answer.
 */
public final class CredentialUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CredentialUnavailable(String reason) {
    super(reason, null, false, false);
  }
}
