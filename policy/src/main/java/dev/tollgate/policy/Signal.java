package dev.tollgate.policy;

/** The three OpenTelemetry signals a rule can name. */
public enum Signal {
  TRACES("traces"),
  METRICS("metrics"),
  LOGS("logs");

  private final String id;

  Signal(String id) {
    this.id = id;
  }

  /** The lower-case name used in configs, paths and audit events. */
  public String id() {
    return id;
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
