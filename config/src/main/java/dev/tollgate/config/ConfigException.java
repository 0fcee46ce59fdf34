package dev.tollgate.config;

import java.util.List;

/** A config or policy file that cannot be used; {@link #problems()} holds every path-qualified error. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Each problem as one line, {@code path: what is wrong (and the fix)}. */
  public List<String> problems() {
    return problems;
  }
}
