package dev.tollgate.policy;

/** What a request does to a project's telemetry. */
public enum Action {
  WRITE("write"),
  READ("read");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  /** The lower-case name used in configs and audit events. */
  public String id() {
    return id;
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
