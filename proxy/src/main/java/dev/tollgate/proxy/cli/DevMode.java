package dev.tollgate.proxy.cli;

import dev.tollgate.auth.DevIssuer;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.proxy.Tollgate;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code tollgate dev}: the quickstart example with a built-in development issuer and a local
 * recorder as the upstream, plus ready-to-paste commands for an allowed and a forbidden sender.
 */
final class DevMode {
  static final String EXAMPLE = "policies-examples/quickstart/";
  static final List<String> FILES = List.of("config.yaml", "policy.yaml", "dev-upstream-token");

  private DevMode() {}

  /** A running dev session: Tollgate, its recorder, and the folder with tokens and payloads. */
  record Session(Vertx vertx, Tollgate tollgate, Path dir) {
    void close() throws Exception {
      tollgate.close().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static int run(PrintStream out, PrintStream err) {
    Session session = start(EnvSubstitution.fromSystem(), out, err);
    if (session == null) {
      return 1;
    }
    Main.closeOnExit(session.tollgate(), session.vertx(), err);
    return 0;
  }

  /** Starts dev mode and prints the guide; returns null (after printing why) when it cannot start. */
  static Session start(EnvSubstitution env, PrintStream out, PrintStream err) {
    Vertx vertx = Tollgate.newVertx(new VertxOptions());
    try {
      Path dir = extractExample();
      TollgateConfig config = TollgateConfig.load(dir.resolve("config.yaml"), true, env);
      String upstreamToken = Files.readString(dir.resolve("dev-upstream-token")).strip();
      int recorderPort = config.upstreams().get("ingest").url().getPort();
      new DevRecorder(vertx, "Bearer " + upstreamToken, out).listen(recorderPort)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      DevIssuer issuer = DevIssuer.generate(Clock.systemUTC());
      Tollgate t = Tollgate.start(vertx, config, Clock.systemUTC(), issuer)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      printGuide(out, dir, issuer, t.port());
      return new Session(vertx, t, dir);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("tollgate dev: cannot start: " + cause.getMessage()
          + " (is something else on ports 4318/4319? set TOLLGATE_PORT and TOLLGATE_RECORDER_PORT)");
    }
    vertx.close();
    return null;
  }

  private static Path extractExample() throws IOException {
    Path dir = Files.createTempDirectory("tollgate-dev-");
    for (String name : FILES) {
      try (InputStream in = DevMode.class.getClassLoader().getResourceAsStream(EXAMPLE + name)) {
        if (in == null) {
          throw new IOException("example file missing from the jar: " + EXAMPLE + name);
        }
        Files.copy(in, dir.resolve(name));
      }
    }
    Files.writeString(dir.resolve("checkout.json"), DevPayloads.spans("checkout"));
    Files.writeString(dir.resolve("mixed.json"), DevPayloads.spans("checkout", "payments"));
    return dir;
  }

  private static void printGuide(PrintStream out, Path dir, DevIssuer issuer, int port) throws IOException {
    Duration ttl = Duration.ofHours(8);
    String allowed = issuer.mint("shop-collector", "shop-collector", Set.of(), List.of("tollgate"), ttl);
    String rogue = issuer.mint("rogue-job", "rogue-job", Set.of(), List.of("tollgate"), ttl);
    Files.writeString(dir.resolve("allowed.token"), allowed, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("rogue.token"), rogue, StandardCharsets.UTF_8);
    String url = "http://127.0.0.1:" + port + "/projects/shop/v1/traces";
    String curl = "curl -sS -w ' HTTP %{http_code}\\n' -H 'Content-Type: application/json' ";
    out.println();
    out.println("Tollgate dev is running on 127.0.0.1:" + port + " (DEVELOPMENT ISSUER: tokens below are demo-only).");
    out.println("Policy: policies-examples/quickstart/policy.yaml; files and tokens in " + dir);
    out.println("Audit events are printed below as JSON lines. In another terminal:");
    out.println();
    out.println("# 1. accepted: shop-collector writes its own service (checkout)");
    out.println(curl + "-H \"Authorization: Bearer $(cat " + dir.resolve("allowed.token") + ")\" --data-binary @"
        + dir.resolve("checkout.json") + " " + url);
    out.println("# 2. partial success: checkout is kept, payments is dropped and reported");
    out.println(curl + "-H \"Authorization: Bearer $(cat " + dir.resolve("allowed.token") + ")\" --data-binary @"
        + dir.resolve("mixed.json") + " " + url);
    out.println("# 3. denied: rogue-job holds no role in project shop");
    out.println(curl + "-H \"Authorization: Bearer $(cat " + dir.resolve("rogue.token") + ")\" --data-binary @"
        + dir.resolve("checkout.json") + " " + url);
    out.println();
    out.println("Press Ctrl+C to stop.");
  }
}
