package dev.tollgate.auth;

import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Loads a JWKS from a local file through Vert.x's file system, which runs the read on a worker
 * thread. {@link IssuerKeys} polls it, so a replaced file is picked up without a restart.
 */
final class JwksFileReader implements KeyLoader {
  private final FileSystem fileSystem;
  private final Path file;

  JwksFileReader(FileSystem fileSystem, Path file) {
    this.fileSystem = fileSystem;
    this.file = file;
  }

  @Override
  public Future<String> load() {
    return fileSystem.readFile(file.toString())
        .recover(e -> Future.failedFuture("cannot read " + file + ": " + e.getMessage()))
        .compose(body -> body.length() > JwksFetcher.MAX_BYTES
            ? Future.failedFuture(file + " is larger than " + JwksFetcher.MAX_BYTES + " bytes")
            : Future.succeededFuture(body.toString(StandardCharsets.UTF_8)));
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
