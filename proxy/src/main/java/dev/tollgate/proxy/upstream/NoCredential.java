package dev.tollgate.proxy.upstream;

import io.vertx.core.Future;

/** For upstreams that need no credential (the dev recorder). */
public final class NoCredential implements UpstreamCredential {
  @Override
  public String header() {
    return null;
  }

  @Override
  public String headerValue() {
    return null;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String kind() {
    return "none";
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {}
}
