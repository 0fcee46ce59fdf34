package dev.tollgate.proxy.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.EnvSubstitution;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.policy.Policy;
import dev.tollgate.proxy.Tollgate;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@code tollgate} command line: {@code serve}, {@code config check}, {@code dev}. */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: tollgate serve --config FILE     run the proxy",
      "       tollgate config check FILE      validate a config and its policies, start nothing",
      "       tollgate dev                    run a self-contained demo on 127.0.0.1:4318");

  /** How long a shutdown waits for connections, upstreams and the audit log to close. */
  static final long SHUTDOWN_SECONDS = 30;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs a command; returns the exit code for commands that finish, or 0 once a server is up. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length >= 3 && args[0].equals("serve") && args[1].equals("--config")) {
      return serve(Path.of(args[2]), err);
    }
    if (args.length >= 3 && args[0].equals("config") && args[1].equals("check")) {
      return check(Path.of(args[2]), out, err);
    }
    if (args.length >= 1 && args[0].equals("dev")) {
      return DevMode.run(out, err);
    }
    err.println(USAGE);
    return 64;
  }

  /** Loads and validates a config and its policies; prints every problem. */
  static int check(Path file, PrintStream out, PrintStream err) {
    try {
      TollgateConfig config = TollgateConfig.load(file, false, EnvSubstitution.fromSystem());
      Policy policy = Policy.load(config.policyFiles(), config.projectNames(), IssuerConfig.names(config.issuers()));
      out.println(file + ": ok (" + config.projects().size() + " projects, " + config.issuers().size()
          + " issuers, policy " + policy.version() + ")");
      return 0;
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return 2;
    }
  }

  private static int serve(Path file, PrintStream err) {
    TollgateConfig config;
    try {
      config = TollgateConfig.load(file, false, EnvSubstitution.fromSystem());
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return 2;
    }
    Vertx vertx = Tollgate.newVertx(config.server());
    try {
      Tollgate t = Tollgate.start(vertx, config, Clock.systemUTC(), null)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      err.println("tollgate: listening on " + config.server().host() + ":" + t.port());
      closeOnExit(t, vertx, err);
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException ce) {
        ce.problems().forEach(err::println);
      } else {
        err.println("tollgate: cannot start: " + cause.getMessage());
      }
      vertx.close();
      return 1;
    }
  }

  /** Has the JVM's shutdown (SIGTERM, Ctrl-C) {@link #closeAndWait close} {@code t} and {@code vertx}. */
  static void closeOnExit(Tollgate t, Vertx vertx, PrintStream err) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAndWait(t, vertx, err), "tollgate-shutdown"));
  }

  /**
   * Closes {@code t}, then {@code vertx}, and waits: for a shutdown hook, after which the JVM halts
   * with the audit writer (a daemon thread), so what the log still holds must be written first.
   */
  static void closeAndWait(Tollgate t, Vertx vertx, PrintStream err) {
    try {
      t.close().eventually(vertx::close).toCompletionStage().toCompletableFuture()
          .get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      err.println("tollgate: shutdown did not finish: " + (e instanceof TimeoutException
          ? "still closing after " + SHUTDOWN_SECONDS + " s" : e.getCause().getClass().getName()));
    }
  }
}
