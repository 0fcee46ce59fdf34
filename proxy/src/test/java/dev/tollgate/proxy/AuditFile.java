package dev.tollgate.proxy;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a test Tollgate's audit file: the event of one request, by its request id or its path. */
public final class AuditFile {
  private AuditFile() {}

  /** The audit event of the request that got {@code response}, waiting up to 5 s for the writer. */
  public static JsonObject eventOf(Path file, HttpResponse<?> response) throws Exception {
    return eventOf(file, response.headers().firstValue("x-request-id").orElseThrow());
  }

  /** The audit event of the request with id {@code requestId}, waiting for the writer up to 5 s. */
  public static JsonObject eventOf(Path file, String requestId) throws Exception {
    return eventWith(file, "\"request_id\":\"" + requestId + "\"");
  }

  /** The first audit event whose line contains {@code fragment}, waiting for the writer up to 5 s. */
  public static JsonObject eventWith(Path file, String fragment) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    do {
      for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
        if (line.contains(fragment)) {
          return new JsonObject(line);
        }
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no audit event with " + fragment);
  }
}
