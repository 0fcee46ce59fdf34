package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;

/** How Tollgate proves itself to an upstream. The caller's own token never goes upstream. */
public sealed interface CredentialConfig {
  /** The header the credential is sent in. */
  String header();

  /** A token read from a file and re-read when the file changes (Kubernetes secret swaps included). */
  record StaticFile(Path file, String header, String scheme, Duration poll) implements CredentialConfig {}

  /** No credential: only for upstreams that trust the network, such as the dev recorder. */
  record None() implements CredentialConfig {
    @Override
    public String header() {
      return null;
    }
  }

  static CredentialConfig read(ConfigNode n, Path baseDir) {
    if (n.isMissing()) {
      n.error("is required (use kind: none only for an upstream that needs no credential)");
      return new None();
    }
    n.allowOnly("kind", "file", "header", "scheme", "poll");
    String kind = n.get("kind").string();
    if ("none".equals(kind)) {
      return new None();
    }
    if (!"static-file".equals(kind)) {
      if (kind != null) {
        n.get("kind").error("expected static-file or none, got \"" + kind + "\"");
      }
      return new None();
    }
    String file = n.get("file").string();
    String header = n.get("header").string("Authorization");
    String scheme = n.get("scheme").string(header.equalsIgnoreCase("authorization") ? "Bearer" : "");
    return new StaticFile(file == null ? null : baseDir.resolve(file), header, scheme,
        n.get("poll").duration(Duration.ofSeconds(2)));
  }
}
