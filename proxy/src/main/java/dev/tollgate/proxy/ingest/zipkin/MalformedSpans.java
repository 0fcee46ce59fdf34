package dev.tollgate.proxy.ingest.zipkin;

/**
 * A Zipkin span batch Tollgate refuses to act on: broken, or readable two ways (so Zipkin could
 * store a span under another service than the one Tollgate authorized). One line, no payload.
 */
final class MalformedSpans extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedSpans(String reason) {
    super(reason, null, false, false);
  }
}
