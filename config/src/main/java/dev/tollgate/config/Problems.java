package dev.tollgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every error found while reading a file, so a user fixes them all in one pass instead of
 * one per run.
 */
public final class Problems {
  private final List<String> lines = new ArrayList<>();

  /** Records {@code path: message}. */
  public void add(String path, String message) {
    lines.add(path.isEmpty() ? message : path + ": " + message);
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Throws a {@link ConfigException} holding every problem, if there is any. */
  public void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }
}
