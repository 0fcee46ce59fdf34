package dev.tollgate.proxy.web;

/**
 * The request framings the listener refuses because another reader of the same bytes (a front
 * proxy, the sender's own library) could take the body's end to be somewhere else, and so read the
 * next request differently (RFC 9112 6.1). {@link RequestDecoder} refuses them; each is answered with
 * its status and closed:
 *
 * <ul>
 *   <li>{@code Transfer-Encoding} with {@code Content-Length}: 400, as nginx refuses it. RFC 9112 6.1
 *       lets a server read such a body as chunked only if it closes the connection after answering,
 *       because a front proxy that read the length has another idea of where the next request starts.
 *   <li>Any transfer coding in HTTP/1.0, which did not have them: 400.
 *   <li>Codings that do not end in {@code chunked}: 400, as RFC 9112 6.3 asks, since where the body
 *       ends cannot be known.
 *   <li>Any coding before {@code chunked}, or {@code chunked} in two fields: 501, as codings Tollgate
 *       does not read.
 * </ul>
 */
final class Http1Framing {
  private Http1Framing() {}

  /** A request refused for its framing, with the status and reason to answer. */
  static final class Refusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String reason) {
      super(reason, null);
      this.status = status;
    }
  }
}
