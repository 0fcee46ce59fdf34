package dev.tollgate.proxy.ingest;

import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.web.Buffers;
import dev.tollgate.proxy.web.Exchange;

/**
 * OTLP-correct answers: status codes per the OTLP/HTTP spec (only 429, 502, 503 and 504 make a
 * sender retry) and bodies in the request's own encoding, {@code google.rpc.Status} for errors.
 */
final class OtlpReplies {
  /** Seconds a sender is asked to wait before retrying a 503. */
  static final String RETRY_AFTER = "5";

  private OtlpReplies() {}

  /** Answers with an error; the reason is also the audit reason. */
  static void fail(Exchange x, PayloadFormat format, int status, String reason) {
    fail(x, format, status, reason, null);
  }

  /**
   * As {@link #fail(Exchange, PayloadFormat, int, String)}, passing on an upstream's {@code
   * Retry-After} (whole seconds, at most an hour) for 429 and 503 instead of Tollgate's default.
   */
  static void fail(Exchange x, PayloadFormat format, int status, String reason, String upstreamRetryAfter) {
    x.audit().reason(reason);
    PayloadFormat f = format == null ? PayloadFormat.JSON : format;
    String message = reason + " (request id " + x.requestId() + ")";
    byte[] body = OtlpResponses.status(f, grpcCode(status), message);
    if (status == 503 || status == 429) {
      x.response().putHeader("retry-after", retryAfter(upstreamRetryAfter));
    }
    x.respond(status, f.contentType(), Buffers.wrap(body));
  }

  private static String retryAfter(String upstream) {
    if (upstream != null && upstream.matches("[0-9]{1,4}") && Integer.parseInt(upstream) <= 3600) {
      return upstream;
    }
    return RETRY_AFTER;
  }

  /** Answers 200 with {@code partial_success} when anything was rejected. */
  static void success(Exchange x, PayloadFormat format, Signal signal, long rejected, String message) {
    byte[] body = OtlpResponses.success(signal, format, rejected, rejected > 0 ? message : null);
    x.respond(200, format.contentType(), Buffers.wrap(body));
  }

  /** The google.rpc.Code for an HTTP status, as OTLP/HTTP pairs them. */
  static int grpcCode(int status) {
    switch (status) {
      case 400:
      case 415:
        return 3; // INVALID_ARGUMENT
      case 401:
        return 16; // UNAUTHENTICATED
      case 403:
        return 7; // PERMISSION_DENIED
      case 404:
        return 5; // NOT_FOUND
      case 405:
        return 12; // UNIMPLEMENTED
      case 413:
      case 429:
        return 8; // RESOURCE_EXHAUSTED
      case 502:
      case 503:
      case 504:
        return 14; // UNAVAILABLE
      default:
        return 13; // INTERNAL
    }
  }
}
