package dev.tollgate.proxy.ingest.zipkin;

import dev.tollgate.config.ProjectConfig;
import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Grant;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.upstream.UpstreamReply;
import dev.tollgate.proxy.upstream.UpstreamRequest;
import dev.tollgate.proxy.upstream.UpstreamUnavailable;
import dev.tollgate.proxy.web.BodyReader;
import dev.tollgate.proxy.ingest.ServiceDecisions;
import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;

/** The second half of Zipkin ingest: decides each span, forwards the permitted ones, answers. */
final class ZipkinSpanForwarder {
  private ZipkinSpanForwarder() {}

  static void forward(Exchange x, SpanFormat format, ProjectConfig project, Upstream upstream, Grant grant,
      BodyReader.Body body) {
    ZipkinBatch batch;
    try {
      batch = ZipkinBatch.read(format, body.bytes(), body.length());
    } catch (MalformedSpans e) {
      JsonErrors.fail(x, 400, e.getMessage());
      return;
    }
    boolean[] keep = new boolean[batch.size()];
    Decision firstDeny = ServiceDecisions.decide(x, grant, keep, batch::serviceName, i -> 1);
    int kept = ServiceDecisions.kept(keep);
    if (kept == 0 && keep.length > 0) {
      JsonErrors.fail(x, 403, firstDeny.reason());
    } else if (kept == 0) {
      x.respond(202, null, null);
    } else {
      send(x, format, project, upstream, Unpooled.wrappedBuffer(batch.rewrite(keep)), keep.length - kept);
    }
  }

  private static void send(Exchange x, SpanFormat format, ProjectConfig project, Upstream upstream, ByteBuf out,
      int rejected) {
    if (x.refuseUnaudited()) {
      out.release(); // never handed to the upstream
      return;
    }
    MultiMap headers = ServiceDecisions.forwardedHeaders(x);
    UpstreamRequest request = UpstreamRequest.post("/api/v2/spans", format.contentType(), out, project.tenant(),
        headers).onBehalfOf(x.onBehalfOf(project.name()));
    upstream.send(request).onComplete(x.guard(ar -> {
      upstream.recordIn(x.audit(), ar);
      if (ar.failed()) {
        JsonErrors.fail(x, 503, ar.cause() instanceof UpstreamUnavailable u ? u.getMessage()
            : "Zipkin upstream unavailable, retry later");
      } else {
        answer(x, ar.result(), rejected);
      }
    }));
  }

  private static void answer(Exchange x, UpstreamReply reply, int rejected) {
    int s = reply.status();
    if (reply.ok()) {
      if (rejected > 0) {
        x.response().putHeader("x-tollgate-spans-rejected", String.valueOf(rejected));
      }
      x.respond(202, null, null);
    } else if (s == 429) {
      JsonErrors.fail(x, 429, "Zipkin upstream is throttling, retry later");
    } else if (s == 400 || s == 413) {
      JsonErrors.fail(x, s, "Zipkin upstream rejected the spans (HTTP " + s + ")");
    } else {
      JsonErrors.fail(x, 503, "Zipkin upstream failed (HTTP " + s + "), retry later");
    }
  }
}
