package dev.tollgate.config;

import java.nio.file.Path;

/** Where audit events go: a JSON-lines file, or standard output when {@code file} is {@code "-"}. */
public record AuditConfig(Path file, int queueCapacity) {
  public boolean toStdout() {
    return file == null;
  }

  static AuditConfig read(ConfigNode n, Path baseDir) {
    n.allowOnly("file", "queue");
    String file = n.get("file").string("-");
    return new AuditConfig("-".equals(file) ? null : baseDir.resolve(file),
        (int) n.get("queue").number(65_536, 16, 10_000_000));
  }
}
