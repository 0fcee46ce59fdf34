package dev.tollgate.policy;

import java.util.Locale;

/** What a request does to a project's telemetry. */
public enum Action {
  WRITE,
  READ;

  /** The lower-case name used in configs and audit events. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code write|read}; {@code null} when the name is neither. */
  public static Action parse(String name) {
    for (Action a : values()) {
      if (a.id().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
