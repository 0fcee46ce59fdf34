package dev.tollgate.auth.upstream;

import io.vertx.core.Future;

/** For upstreams that need no credential (the dev recorder). */
public final class NoCredential implements UpstreamCredential {
  private final CredentialMetrics metrics = new CredentialMetrics();

  @Override
  public String kind() {
    return "none";
  }

  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    return Future.succeededFuture(Presentation.none());
  }

  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    return Future.failedFuture(new CredentialUnavailable("the upstream wants a credential, but none is configured"));
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {}

  @Override
  public CredentialMetrics metrics() {
    return metrics;
  }
}
