package dev.tollgate.proxy.upstream;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A token read from a file and re-read on a short poll. Polling the content (not file events)
 * follows Kubernetes secret updates, which swap a symlink rather than write the file.
 */
public final class StaticFileCredential implements UpstreamCredential {
  private static final System.Logger LOG = System.getLogger(StaticFileCredential.class.getName());
  private final Vertx vertx;
  private final CredentialConfig.StaticFile config;
  private volatile String headerValue;
  private volatile long timer = -1;
  private volatile long loads;

  StaticFileCredential(Vertx vertx, CredentialConfig.StaticFile config) {
    this.vertx = vertx;
    this.config = config;
  }

  @Override
  public String header() {
    return config.header();
  }

  @Override
  public String headerValue() {
    return headerValue;
  }

  @Override
  public boolean ready() {
    return headerValue != null;
  }

  @Override
  public String kind() {
    return "static-file";
  }

  /** How many times a changed token was loaded (for tests and metrics). */
  public long loads() {
    return loads;
  }

  @Override
  public Future<Void> start() {
    timer = vertx.setPeriodic(config.poll().toMillis(), id -> reload());
    return reload();
  }

  private Future<Void> reload() {
    return vertx.fileSystem().readFile(config.file().toString())
        .map(this::accept)
        .recover(err -> {
          LOG.log(System.Logger.Level.WARNING, "upstream credential file " + config.file() + " unreadable: "
              + err.getClass().getSimpleName() + "; keeping the last token");
          return Future.succeededFuture();
        });
  }

  private Void accept(Buffer content) {
    String token = content.toString(StandardCharsets.UTF_8).strip();
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      LOG.log(System.Logger.Level.WARNING, "upstream credential file " + config.file()
          + " is empty or holds characters not allowed in a header; keeping the last token");
      return null;
    }
    String value = config.scheme().isEmpty() ? token : config.scheme() + " " + token;
    if (!value.equals(headerValue)) {
      headerValue = value;
      loads++;
    }
    return null;
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
