package dev.tollgate.proxy.ingest;

import dev.tollgate.auth.Caller;
import dev.tollgate.config.ProjectConfig;
import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.Signal;
import dev.tollgate.proxy.upstream.ProjectRoutes;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.upstream.UpstreamReply;
import dev.tollgate.proxy.upstream.UpstreamRequest;
import dev.tollgate.proxy.upstream.UpstreamUnavailable;
import dev.tollgate.proxy.web.BodyReader;
import dev.tollgate.proxy.web.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.MultiMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The second half of ingest: decides each resource, forwards the permitted ones with provenance
 * stamped, and turns the upstream's answer into an OTLP answer for the sender.
 */
final class IngestForwarder {
  static final String PROVENANCE_SENDER = "tollgate.sender";
  static final String PROVENANCE_ISSUER = "tollgate.sender.issuer";
  static final String PROVENANCE_PROJECT = "tollgate.project";
  /** OTLP/HTTP's path for each signal on the collector, built once instead of per request. */
  private static final Map<Signal, String> UPSTREAM_PATH = new EnumMap<>(Signal.class);

  static {
    for (Signal s : Signal.values()) {
      UPSTREAM_PATH.put(s, "/v1/" + s.id());
    }
  }

  private final boolean provenance;

  IngestForwarder(boolean provenance) {
    this.provenance = provenance;
  }

  void forward(Exchange x, PayloadFormat format, Signal signal, ProjectRoutes.Route route, Caller caller,
      Grant grant, BodyReader.Body body) {
    OtlpPayload payload;
    boolean[] keep;
    Decision firstDeny;
    try {
      payload = OtlpPayload.read(signal, format, body.bytes(), 0, body.length());
      keep = new boolean[payload.resourceCount()];
      // Counting a refused resource's items walks bytes read() skipped, so it can still find them
      // malformed: that is the sender's 400 too.
      firstDeny = ServiceDecisions.decide(x, grant, keep, payload::serviceName, payload::itemCount);
    } catch (MalformedPayloadException e) {
      OtlpReplies.fail(x, format, 400, e.getMessage());
      return;
    }
    int n = keep.length;
    int kept = ServiceDecisions.kept(keep);
    if (n > 0 && kept == 0) {
      OtlpReplies.fail(x, format, 403, firstDeny.reason());
      return;
    }
    if (n == 0) {
      OtlpReplies.success(x, format, signal, 0, null);
      return;
    }
    ByteBuf out;
    try {
      out = payload.rewrite(keep, provenance ? stamp(caller, route) : List.of(), ByteBufAllocator.DEFAULT);
    } catch (OutOfMemoryError e) {
      // the direct memory for the rewritten body is spent: like a spent in-flight budget
      OtlpReplies.fail(x, format, 503, "too much request data in flight, retry later");
      return;
    }
    String partialMessage = firstDeny == null ? null : firstDeny.reason();
    send(x, format, signal, route, out, partialMessage);
  }

  /**
   * The provenance for {@code caller}'s batch to {@code route}. A steady sender's batches come with
   * the very same cached Caller, so each thread keeps the last stamp it made, and the caller and
   * project it was for, compared by identity: the next batch from them reuses the stamp's encoding.
   * Both are records of immutable values (a Caller's groups are an unmodifiable copy), so the same
   * objects always give the same attributes. What a thread holds until it stamps for another is
   * that caller's identity (no token) and the project's configuration, not the route's upstream or
   * its credential.
   */
  static List<Map.Entry<String, String>> stamp(Caller caller, ProjectRoutes.Route route) {
    LastStamp last = LAST_STAMP.get();
    ProjectConfig project = route.project();
    if (last.caller != caller || last.project != project) {
      // A Caller always has a subject and an issuer (its constructor requires them).
      last.stamp = new Provenance.Stamp(List.of(
          Map.entry(PROVENANCE_SENDER, caller.clientId() != null ? caller.clientId() : caller.subject()),
          Map.entry(PROVENANCE_ISSUER, caller.issuer()),
          Map.entry(PROVENANCE_PROJECT, project.name())));
      last.caller = caller;
      last.project = project;
    }
    return last.stamp;
  }

  private static final ThreadLocal<LastStamp> LAST_STAMP = ThreadLocal.withInitial(LastStamp::new);

  private static final class LastStamp {
    Caller caller;
    ProjectConfig project;
    Provenance.Stamp stamp;
  }

  private void send(Exchange x, PayloadFormat format, Signal signal, ProjectRoutes.Route route, ByteBuf out,
      String partialMessage) {
    if (x.refuseUnaudited()) {
      out.release(); // never handed to the upstream
      return;
    }
    Upstream up = route.upstream();
    UpstreamRequest request;
    try {
      MultiMap extra = ServiceDecisions.forwardedHeaders(x);
      request = UpstreamRequest.post(UPSTREAM_PATH.get(signal), format.contentType(), out,
          route.project().tenant(), extra).onBehalfOf(x.onBehalfOf(route.project().name()));
    } catch (RuntimeException e) {
      out.release(); // not yet handed to the upstream, which would release it
      throw e;
    }
    up.send(request).onComplete(x.guard(ar -> {
      up.recordIn(x.audit(), ar);
      if (ar.failed()) {
        OtlpReplies.fail(x, format, 503, ar.cause() instanceof UpstreamUnavailable u ? u.getMessage()
            : "upstream unavailable, retry later");
      } else {
        answer(x, format, signal, ar.result(), partialMessage);
      }
    }));
  }

  private void answer(Exchange x, PayloadFormat format, Signal signal, UpstreamReply reply, String partialMessage) {
    int s = reply.status();
    if (reply.ok()) {
      OtlpResponses.PartialSuccess theirs = theirPartialSuccess(signal, format, reply);
      long rejected = x.audit().rejectedItems() + theirs.rejected();
      x.audit().addRejectedItems(theirs.rejected());
      String message = partialMessage != null ? partialMessage : theirs.message();
      OtlpReplies.success(x, format, signal, rejected, message);
    } else if (s == 401 || s == 403) {
      // Our credential was refused: the sender did nothing wrong and must retry, not drop data.
      OtlpReplies.fail(x, format, 503, "upstream refused Tollgate's credential, retry later");
    } else if (s == 429) {
      OtlpReplies.fail(x, format, 429, "upstream is throttling, retry later", reply.retryAfter());
    } else if (s == 400 || s == 413) {
      OtlpReplies.fail(x, format, s, "upstream rejected the data (HTTP " + s + ")");
    } else {
      OtlpReplies.fail(x, format, 503, "upstream failed (HTTP " + s + "), retry later", reply.retryAfter());
    }
  }

  /**
   * The collector's own partial_success. A 2xx whose body is not an OTLP answer (a gateway's "ok",
   * HTML) still means the data was taken: answering an error would make the sender send it again.
   */
  private static OtlpResponses.PartialSuccess theirPartialSuccess(Signal signal, PayloadFormat format,
      UpstreamReply reply) {
    try {
      return OtlpResponses.readPartialSuccess(signal, format, reply.body().getBytes());
    } catch (RuntimeException e) {
      return OtlpResponses.PartialSuccess.NONE;
    }
  }
}
