package dev.tollgate.proxy.upstream;

import io.vertx.core.buffer.Buffer;

/**
 * What an upstream answered: status, body, the headers Tollgate may pass on, and which credential
 * the answered request carried.
 */
public record UpstreamReply(int status, Buffer body, String contentType, String retryAfter, CredentialUse credential) {
  /** A reply without credential facts (for fakes and tests). */
  public UpstreamReply(int status, Buffer body, String contentType, String retryAfter) {
    this(status, body, contentType, retryAfter, null);
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** Whether the upstream refused Tollgate's credential: 401 or 403. */
  public boolean credentialRefused() {
    return status == 401 || status == 403;
  }

  UpstreamReply with(CredentialUse use) {
    return new UpstreamReply(status, body, contentType, retryAfter, use);
  }
}
