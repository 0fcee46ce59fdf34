package dev.tollgate.proxy.web;

/**
 * A family of audited routes (OTLP ingest, Zipkin ingest, a query backend...). {@link Routes}
 * asks each endpoint in order and hands the request to the first that claims its path.
 */
public interface Endpoint {
  /** Whether this endpoint serves {@code path}; cheap, called for every request. */
  boolean matches(String path);

  /** Handles a paused request; every answer goes through {@link Exchange#respond}. */
  void handle(Exchange x);

  /**
   * How this endpoint's errors are encoded, chosen before it handles the request so that even the
   * dispatcher's own refusals (audit log down) reach its clients in their protocol.
   */
  default Exchange.Failure failure(Http1Request request) {
    return JsonErrors::fail;
  }
}
