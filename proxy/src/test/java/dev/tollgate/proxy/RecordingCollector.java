package dev.tollgate.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in OTLP collector (no real one runs on this platform): records every request and
 * decodes it with the official protobuf classes, so tests assert what actually arrived.
 */
final class RecordingCollector implements AutoCloseable {
  /** One request as the collector saw it. */
  record Received(String path, MultiMap headers, String contentType, byte[] body) {
    ExportTraceServiceRequest traces() {
      return decode(ExportTraceServiceRequest.newBuilder());
    }

    ExportMetricsServiceRequest metrics() {
      return decode(ExportMetricsServiceRequest.newBuilder());
    }

    ExportLogsServiceRequest logs() {
      return decode(ExportLogsServiceRequest.newBuilder());
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> T decode(Message.Builder b) {
      try {
        if (contentType.startsWith("application/json")) {
          JsonFormat.parser().merge(new String(body, java.nio.charset.StandardCharsets.UTF_8), b);
        } else {
          b.mergeFrom(body);
        }
        return (T) b.build();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("collector received an undecodable body", e);
      }
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  /** Decides each answer's status from the request's headers (e.g. to refuse a credential); default {@link #status}. */
  volatile java.util.function.ToIntFunction<MultiMap> answer = h -> status;
  /** A body to answer with instead of an empty one (e.g. a gateway's non-OTLP "ok"). */
  volatile String responseBody = "";
  /** A Retry-After to answer with, or null. */
  volatile String retryAfter;

  private RecordingCollector(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.server = vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
          String ct = req.getHeader("content-type") == null ? "" : req.getHeader("content-type");
          received.add(new Received(req.path(), headers, ct, b.getBytes()));
          var resp = req.response().setStatusCode(answer.applyAsInt(headers)).putHeader("content-type", ct);
          if (retryAfter != null) {
            resp.putHeader("retry-after", retryAfter);
          }
          resp.end(responseBody);
        }))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static RecordingCollector start(Vertx vertx) throws Exception {
    return new RecordingCollector(vertx);
  }

  int port() {
    return server.actualPort();
  }

  List<Received> received() {
    return received;
  }

  /** Waits up to 10 s for at least {@code n} requests. */
  List<Received> await(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (received.size() < n) {
      throw new AssertionError("collector received " + received.size() + " requests, expected " + n);
    }
    return received;
  }

  void reset() {
    received.clear();
    status = 200;
    answer = h -> status;
    responseBody = "";
    retryAfter = null;
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
