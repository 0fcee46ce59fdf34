package dev.tollgate.proxy.upstream;

/**
 * The upstream cannot be used right now; the sender should retry later (503 with Retry-After).
 * The message is safe to show and audit: it never holds a credential.
 */
public final class UpstreamUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int upstreamStatus;
  private final transient CredentialUse credential;

  public UpstreamUnavailable(String reason) {
    this(reason, 0, null);
  }

  /**
   * @param upstreamStatus what the upstream last answered (e.g. 401), or 0 when it was not asked
   * @param credential the credential last presented, or null
   */
  public UpstreamUnavailable(String reason, int upstreamStatus, CredentialUse credential) {
    super(reason, null, false, false);
    this.upstreamStatus = upstreamStatus;
    this.credential = credential;
  }

  public int upstreamStatus() {
    return upstreamStatus;
  }

  public CredentialUse credential() {
    return credential;
  }
}
