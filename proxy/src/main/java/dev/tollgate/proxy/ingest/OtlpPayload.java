package dev.tollgate.proxy.ingest;

import dev.tollgate.policy.Signal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One OTLP export request (traces, metrics or logs), read just far enough to know which service
 * each top-level resource belongs to, so the caller can keep or drop whole resources.
 *
 * <p>The payload keeps a reference to the caller's buffer and never copies it; the buffer must not
 * change while the payload is in use. Instances are not thread-safe.
 */
public interface OtlpPayload {

  /** Attribute keys starting with this prefix belong to Tollgate; senders' copies are removed. */
  String RESERVED_PREFIX = "tollgate.";

  /**
   * Reads an export request body. Costs one pass over the resource-level fields (spans, data
   * points and log records are skipped by length, never decoded) and a few small arrays; nothing
   * of the payload is copied.
   *
   * @throws MalformedPayloadException when the body is broken, or could be understood in two ways
   *     (repeated {@code service.name}, repeated key or value, two spellings of one JSON field...)
   */
  static OtlpPayload read(Signal signal, PayloadFormat format, byte[] buf, int off, int len) {
    Objects.requireNonNull(signal, "signal");
    Objects.checkFromIndexSize(off, len, buf.length);
    SignalShape shape = SignalShape.of(signal);
    return switch (format) {
      case PROTOBUF -> ProtoPayload.read(shape, buf, off, len);
      case JSON -> JsonPayload.read(shape, buf, off, len);
    };
  }

  /** The number of top-level resources (ResourceSpans, ResourceMetrics or ResourceLogs). */
  int resourceCount();

  /**
   * The {@code service.name} of resource {@code i}, {@code ""} when present but empty, {@code null}
   * when absent. The string is built on first use and then cached.
   */
  String serviceName(int i);

  /**
   * The spans, data points or log records in resource {@code i}, as the collector would count
   * them. Walks that resource's tags on first call (no decoding), then cached; meant for dropped
   * resources, so kept ones cost nothing.
   *
   * @throws MalformedPayloadException when the resource's telemetry is broken
   */
  long itemCount(int i);

  /**
   * A new request body, in the format read, holding only the resources with {@code keep[i]} set,
   * in their original order. Each kept resource is copied byte for byte, except that its resource
   * attributes lose every key starting with {@link #RESERVED_PREFIX} and gain {@code provenance}
   * (as string values, after the sender's attributes). Costs one walk over the resource-level
   * fields of kept resources to size the output, and one copy into a single exactly sized buffer:
   * from {@code alloc}'s direct memory when the body is large ({@link RewrittenBody}), so that it
   * waits for its upstream outside the collected heap; else a heap array. The caller owns the
   * buffer and releases it.
   *
   * @param provenance attributes to stamp; every key must start with {@link #RESERVED_PREFIX}, so
   *     that each appears exactly once in the result
   */
  ByteBuf rewrite(boolean[] keep, List<Map.Entry<String, String>> provenance, ByteBufAllocator alloc);
}
