package dev.tollgate.auth.upstream;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HTTP exchange of Tollgate's clients (upstreams, token endpoints, key sets), bounded from send
 * to last byte. Call it inside the callback that got the request, on the request's event loop, so
 * that the answer is read from there: asked for in a stage the calling thread chains later, the
 * body can be gone, since Vert.x drops body bytes nobody reads yet. The deadline covers the body
 * too, which Vert.x's own request timeouts stop counting once the head is in; on any failure the
 * request is reset, so a pooled connection is not left mid-exchange.
 */
public final class ClientExchange {
  private ClientExchange() {}

  /** What {@code read} makes of the answer to {@code sent}, failing after {@code timeoutMillis}. */
  public static <T> Future<T> within(HttpClientRequest request, Future<HttpClientResponse> sent,
      Function<HttpClientResponse, Future<T>> read, long timeoutMillis) {
    return sent.compose(read)
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .onFailure(err -> request.reset());
  }
}
