package dev.tollgate.proxy.upstream;

/**
 * The upstream could not be reached, or the exchange with it broke before a whole answer came:
 * refused or failed connection, TLS failure, timeout, a connection closed mid-answer, or bytes
 * that are not an HTTP response. The sender should retry later. The message names what happened
 * and never a credential.
 */
public final class UpstreamFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UpstreamFailed(String reason) {
    super(reason, null, false, false);
  }

  UpstreamFailed(String reason, Throwable cause) {
    super(reason + " (" + cause.getClass().getSimpleName() + ")", cause, false, false);
  }
}
