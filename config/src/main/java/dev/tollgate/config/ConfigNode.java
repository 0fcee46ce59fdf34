package dev.tollgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path-aware view of one value of a parsed YAML document. Reading a wrong or missing value never
 * throws: it records {@code path: problem} and returns a neutral value, so a whole file is checked
 * in one pass and every error reported.
 */
public final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(us|ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

  private final Object value;
  private final String path;
  private final Problems problems;
  private final EnvSubstitution env;

  private ConfigNode(Object value, String path, Problems problems, EnvSubstitution env) {
    this.value = value;
    this.path = path;
    this.problems = problems;
    this.env = env;
  }

  /** The root of a document; {@code value} is what {@link YamlFiles} returned. */
  public static ConfigNode root(Object value, Problems problems, EnvSubstitution env) {
    return new ConfigNode(value, "", problems, env);
  }

  public String path() {
    return path;
  }

  public boolean isMissing() {
    return value == null;
  }

  public boolean isMap() {
    return value instanceof Map;
  }

  /** Records a problem at this node's path. */
  public void error(String message) {
    problems.add(path.isEmpty() ? "(top level)" : path, message);
  }

  /** The child {@code key} of a map; a missing node when absent (or when this is not a map). */
  public ConfigNode get(String key) {
    String childPath = path.isEmpty() ? key : path + "." + key;
    Object child = value instanceof Map<?, ?> m ? m.get(key) : null;
    return new ConfigNode(child, childPath, problems, env);
  }

  /** Reports every key of this map that is not one of {@code keys}, with a spelling hint. */
  public void allowOnly(String... keys) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> m)) {
      error("expected a mapping");
      return;
    }
    List<String> allowed = Arrays.asList(keys);
    for (Object k : m.keySet()) {
      String key = String.valueOf(k);
      if (!allowed.contains(key)) {
        get(key).error("unknown key" + Suggestions.didYouMean(key, allowed));
      }
    }
  }

  /** The entries of a map, in file order; empty when missing. */
  public Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof Map<?, ?> m)) {
      error("expected a mapping");
      return out;
    }
    for (Object k : m.keySet()) {
      out.put(String.valueOf(k), get(String.valueOf(k)));
    }
    return out;
  }

  /** The elements of a list, each with its indexed path; empty when missing. */
  public List<ConfigNode> list() {
    List<ConfigNode> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> l)) {
      error("expected a list");
      return out;
    }
    for (int i = 0; i < l.size(); i++) {
      out.add(new ConfigNode(l.get(i), path + "[" + i + "]", problems, env));
    }
    return out;
  }

  /** A required scalar as text (after {@code ${ENV}} substitution); {@code null} and a problem when missing. */
  public String string() {
    if (value == null) {
      error("is required");
      return null;
    }
    return string(null);
  }

  /** An optional scalar as text, or {@code dflt} when missing. */
  public String string(String dflt) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof Map || value instanceof List) {
      error("expected a single value");
      return dflt;
    }
    return env.apply(String.valueOf(value), path, problems);
  }

  /** A list of strings; a single scalar is read as a list of one. Empty when missing. */
  public List<String> strings() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      String s = string(null);
      return s == null ? List.of() : List.of(s);
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode n : list()) {
      String s = n.string();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  public boolean bool(boolean dflt) {
    String s = string(null);
    if (s == null) {
      return dflt;
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        error("expected true or false, got \"" + s + "\"");
        return dflt;
    }
  }

  /** An integer within [min, max]. */
  public long number(long dflt, long min, long max) {
    String s = string(null);
    if (s == null) {
      return dflt;
    }
    try {
      long v = Long.parseLong(s.trim());
      if (v < min || v > max) {
        error("must be between " + min + " and " + max + ", got " + v);
        return dflt;
      }
      return v;
    } catch (NumberFormatException e) {
      error("expected a whole number, got \"" + s + "\"");
      return dflt;
    }
  }

  /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
  public Duration duration(Duration dflt) {
    return duration(dflt, false);
  }

  /**
   * Like {@link #duration}, and also in microseconds ({@code 50us}): only for the few settings
   * finer than a millisecond (most durations become millisecond timers, where 500us would be 0).
   */
  public Duration fineDuration(Duration dflt) {
    return duration(dflt, true);
  }

  private Duration duration(Duration dflt, boolean micros) {
    String s = string(null);
    if (s == null) {
      return dflt;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches() || (!micros && m.group(2).equals("us"))) {
      error("expected a duration like " + (micros ? "50us, " : "") + "250ms, 30s, 5m or 1h, got \"" + s + "\"");
      return dflt;
    }
    try {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      error("duration too large: \"" + s + "\"");
      return dflt;
    }
  }

  /** A size in bytes such as {@code 4194304}, {@code 512KiB} or {@code 4MiB}. */
  public long bytes(long dflt) {
    String s = string(null);
    if (s == null) {
      return dflt;
    }
    Matcher m = SIZE.matcher(s.trim());
    if (!m.matches()) {
      error("expected a size like 4MiB or 65536, got \"" + s + "\"");
      return dflt;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    switch (unit) {
      case "KiB":
        return n << 10;
      case "MiB":
        return n << 20;
      case "GiB":
        return n << 30;
      case "KB":
        return n * 1000;
      case "MB":
        return n * 1000_000;
      case "GB":
        return n * 1000_000_000;
      default:
        return n;
    }
  }
}
