package dev.tollgate.proxy.upstream;

/** The upstream cannot be used right now; the sender should retry later (503). */
public final class UpstreamUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UpstreamUnavailable(String reason) {
    super(reason, null, false, false);
  }
}
