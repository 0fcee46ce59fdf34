package dev.tollgate.auth.upstream;

import dev.tollgate.config.CredentialConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A token read from a file and re-read on a short poll. Polling the content (not file events)
 * follows Kubernetes secret updates, which swap a symlink rather than write the file. The audit key
 * id is the load counter ({@code v3}: the third distinct content seen), which says when the token
 * changed without saying anything about it.
 */
public final class StaticFileCredential implements UpstreamCredential {
  private static final System.Logger LOG = System.getLogger(StaticFileCredential.class.getName());
  private final Vertx vertx;
  private final CredentialConfig.StaticFile config;
  private final Clock clock;
  private final CredentialMetrics metrics = new CredentialMetrics();
  private volatile Presentation current;
  private volatile long timer = -1;
  private volatile long loads;

  StaticFileCredential(Vertx vertx, CredentialConfig.StaticFile config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return "static-file";
  }

  @Override
  public Future<Presentation> present(OnBehalfOf who) {
    Presentation p = current;
    return p != null ? Future.succeededFuture(p)
        : Future.failedFuture(new CredentialUnavailable("upstream credential file not loaded yet"));
  }

  /** Re-reads the file now: the secret may have been rotated since the last poll. */
  @Override
  public Future<Presentation> renew(OnBehalfOf who, Presentation refused) {
    return reload().compose(v -> current == null || current.sameSecret(refused)
        ? Future.failedFuture(new CredentialUnavailable("the upstream refused the token of the credential file,"
            + " and the file holds no other"))
        : Future.succeededFuture(current));
  }

  @Override
  public boolean ready() {
    return current != null;
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
          metrics.failed();
          LOG.log(System.Logger.Level.WARNING, "upstream credential file " + config.file() + " unreadable: "
              + err.getClass().getSimpleName() + "; keeping the last token");
          return Future.succeededFuture();
        });
  }

  private synchronized Void accept(Buffer content) {
    String token = content.toString(StandardCharsets.UTF_8).strip();
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      metrics.failed();
      LOG.log(System.Logger.Level.WARNING, "upstream credential file " + config.file()
          + " is empty or holds characters not allowed in a header; keeping the last token");
      return null;
    }
    Presentation next = Presentation.of(config.header(), config.scheme(), token, "v" + (loads + 1));
    if (!next.sameSecret(current)) {
      loads++;
      current = next;
      metrics.obtained(clock.instant(), null);
    }
    return null;
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  @Override
  public CredentialMetrics metrics() {
    return metrics;
  }
}
