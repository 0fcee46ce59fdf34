package dev.tollgate.proxy.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Zipkin server (io.zipkin:zipkin-server, exec jar) as its own process on 127.0.0.1 and
 * a port it picks, with in-memory storage. Started once per test JVM and stopped when it exits, so
 * every test class that needs it shares the ~4 s start.
 */
final class ZipkinServer {
  private static final Pattern SERVING = Pattern.compile("Serving HTTP at /127\\.0\\.0\\.1:(\\d+)");
  private static ZipkinServer shared;
  private final Process process;
  private final int port;

  private ZipkinServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The shared server, started on first use. */
  static synchronized ZipkinServer shared() throws Exception {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
    }
    return shared;
  }

  private static ZipkinServer start() throws Exception {
    String jar = System.getProperty("zipkin.server.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("zipkin.server.jar not set or missing (" + jar + "); run through Maven");
    }
    Path log = Files.createTempFile("zipkin-server", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar,
        "--armeria.ports[0].port=0", "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].protocols[0]=http")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("STORAGE_TYPE", "mem");
    pb.environment().put("AUTOCOMPLETE_KEYS", "environment");
    for (String off : new String[] {"UI_ENABLED", "COLLECTOR_GRPC_ENABLED", "COLLECTOR_KAFKA_ENABLED",
        "COLLECTOR_RABBITMQ_ENABLED", "COLLECTOR_ACTIVEMQ_ENABLED", "SELF_TRACING_ENABLED"}) {
      pb.environment().put(off, "false");
    }
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = SERVING.matcher(Files.readString(log));
      if (m.find()) {
        return new ZipkinServer(p, Integer.parseInt(m.group(1)));
      }
      Thread.sleep(100);
    }
    p.destroy();
    throw new IllegalStateException("Zipkin server did not start:\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.substring(Math.max(0, s.length() - 3000));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** GETs {@code path} from Zipkin directly, bypassing Tollgate. */
  String get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
