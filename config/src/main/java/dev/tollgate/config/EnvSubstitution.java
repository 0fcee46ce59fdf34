package dev.tollgate.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in scalar values. {@code $${} escapes a
 * literal {@code ${}. A missing variable without a default is an error, never an empty string.
 */
public final class EnvSubstitution {
  private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private final Function<String, String> env;

  public EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /** Substitution from the process environment. */
  public static EnvSubstitution fromSystem() {
    Map<String, String> env = System.getenv();
    return new EnvSubstitution(env::get);
  }

  /** Returns the value with references replaced; problems go to {@code problems} under {@code path}. */
  public String apply(String value, String path, Problems problems) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    Matcher m = REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "${";
      } else {
        String v = env.apply(m.group(1));
        if (v == null && m.group(2) != null) {
          v = m.group(3);
        }
        if (v == null) {
          problems.add(path, "environment variable " + m.group(1) + " is not set");
          v = "";
        }
        replacement = v;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
