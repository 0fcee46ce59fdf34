package dev.tollgate.proxy.upstream;

/** The upstream's answer was larger than the request allowed; nothing of it is passed on. */
public final class ResponseTooLarge extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResponseTooLarge(long limit) {
    super("upstream response larger than " + limit + " bytes", null, false, false);
  }
}
