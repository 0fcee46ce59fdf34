package dev.tollgate.proxy.upstream;

import io.vertx.core.buffer.Buffer;

/** What an upstream answered: status, body, and the headers Tollgate may pass on. */
public record UpstreamReply(int status, Buffer body, String contentType, String retryAfter) {
  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
