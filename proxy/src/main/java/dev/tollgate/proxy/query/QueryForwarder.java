package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.config.QueryConfig;
import dev.tollgate.proxy.ingest.MalformedPayloadException;
import dev.tollgate.proxy.upstream.ResponseTooLarge;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.upstream.UpstreamReply;
import dev.tollgate.proxy.upstream.UpstreamRequest;
import dev.tollgate.proxy.upstream.UpstreamUnavailable;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;

/**
 * The second half of a query: sends the checked query to the backend with Tollgate's credential
 * and the project's tenant, filters the answer, and answers the caller. Answers larger than {@value
 * #INLINE_FILTER} bytes are filtered on a worker thread, so a big trace never stalls an event loop.
 */
final class QueryForwarder {
  static final int INLINE_FILTER = 64 * 1024;
  private final Vertx vertx;
  private final QueryConfig config;

  QueryForwarder(Vertx vertx, QueryConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void send(Exchange x, ProjectConfig project, Upstream backend, QueryPlan plan, TraceScope scope, QueryTally tally) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("accept", "application/json");
    String traceparent = x.request().getHeader(Exchange.TRACEPARENT);
    if (traceparent != null) {
      headers.set(Exchange.TRACEPARENT, traceparent);
    }
    UpstreamRequest request = UpstreamRequest.get(plan.pathAndQuery(), project.tenant(), headers,
        config.maxResponseBytes()).onBehalfOf(x.onBehalfOf(project.name()));
    backend.send(request).onComplete(x.guard(ar -> {
      backend.recordIn(x.audit(), ar);
      if (ar.failed()) {
        failed(x, ar.cause(), tally);
      } else if (ar.result().ok()) {
        filter(ar.result().body(), plan, scope, tally)
            .onComplete(x.guard(f -> answer(x, plan, tally, f.result(), f.cause())));
      } else {
        refused(x, ar.result(), tally);
      }
    }));
  }

  /**
   * The filtered answer, or null when nothing in it may be seen; a filter that throws fails the
   * future, on either path, like bad JSON.
   */
  private Future<Buffer> filter(Buffer body, QueryPlan plan, TraceScope scope, QueryTally tally) {
    if (body.length() <= INLINE_FILTER) {
      try {
        return Future.succeededFuture(plan.filter().apply(body, scope, tally));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> plan.filter().apply(body, scope, tally), false);
  }

  private void answer(Exchange x, QueryPlan plan, QueryTally tally, Buffer filtered, Throwable error) {
    if (error != null) {
      tally.discardAnswer();
    }
    x.audit().query(tally.audit());
    if (error instanceof DecodeException) {
      JsonErrors.fail(x, 502, "the trace backend answered with something other than JSON");
    } else if (error instanceof MalformedPayloadException e) {
      JsonErrors.fail(x, 502, "the trace backend's answer cannot be read: " + e.getMessage());
    } else if (error != null) {
      x.internalError(error);
    } else if (filtered == null) {
      JsonErrors.fail(x, 404, plan.byId() ? "trace not found, or none of its spans belong to a service you may read"
          : "nothing to show");
    } else {
      putCount(x, "x-tollgate-spans-removed", tally.spansRemoved());
      putCount(x, "x-tollgate-spans-redacted", tally.spansRedacted());
      putCount(x, "x-tollgate-traces-removed", tally.tracesRemoved());
      x.respond(200, "application/json", filtered);
    }
  }

  private static void putCount(Exchange x, String header, int n) {
    if (n > 0) {
      x.response().putHeader(header, String.valueOf(n));
    }
  }

  private void failed(Exchange x, Throwable err, QueryTally tally) {
    x.audit().query(tally.audit());
    if (err instanceof ResponseTooLarge) {
      JsonErrors.fail(x, 502, "the trace backend's answer is larger than " + config.maxResponseBytes()
          + " bytes (query.max_response); narrow the query: a shorter time range or a lower limit");
    } else if (err instanceof UpstreamUnavailable u) {
      JsonErrors.fail(x, 503, u.getMessage());
    } else {
      JsonErrors.fail(x, 503, "trace backend unavailable, retry later");
    }
  }

  private static void refused(Exchange x, UpstreamReply reply, QueryTally tally) {
    x.audit().query(tally.audit());
    int s = reply.status();
    if (s == 404) {
      JsonErrors.fail(x, 404, "trace not found");
    } else if (s == 400) {
      JsonErrors.fail(x, 400, "the trace backend refused the query: " + Quoted.of(reply.body().toString()));
    } else if (s == 429) {
      JsonErrors.fail(x, 429, "the trace backend is throttling, retry later");
    } else {
      JsonErrors.fail(x, 502, "the trace backend failed (HTTP " + s + ")");
    }
  }
}
