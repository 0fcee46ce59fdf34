package dev.tollgate.policy;

import java.util.Locale;

/** The three OpenTelemetry signals a rule can name. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS;

  /** The lower-case name used in configs, paths and audit events. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code traces|metrics|logs}; {@code null} when the name is none of them. */
  public static Signal parse(String name) {
    for (Signal s : values()) {
      if (s.id().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
