package dev.tollgate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a fetched token is renewed: ahead of expiry at a fraction of its lifetime, spread by jitter so
 * that many Tollgates started together do not hit the IdP together, and with exponential backoff
 * after failures so a struggling IdP is not hammered.
 *
 * @param refreshAt fraction of the lifetime after which a new token is fetched (0.75: at 75%)
 * @param jitter fraction of the lifetime by which that point is moved, at random, either way
 * @param minBackoff wait after the first failure; doubled after each further one
 * @param maxBackoff the longest wait between attempts
 */
public record RefreshConfig(double refreshAt, double jitter, Duration minBackoff, Duration maxBackoff) {
  private static final Pattern FRACTION = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");

  /** The defaults: refresh at 75% of the lifetime, 10% jitter, backoff from 1s to 1m. */
  public static RefreshConfig defaults() {
    return new RefreshConfig(0.75, 0.1, Duration.ofSeconds(1), Duration.ofMinutes(1));
  }

  static RefreshConfig read(ConfigNode n) {
    RefreshConfig d = defaults();
    double at = fraction(n.get("refresh_at"), d.refreshAt(), 0.1, 0.95);
    double jitter = fraction(n.get("refresh_jitter"), d.jitter(), 0, 0.25);
    if (at + jitter >= 1) {
      n.get("refresh_jitter").error("refresh_at + refresh_jitter must stay below 1, or a refresh could come"
          + " after the token expired");
    }
    ConfigNode backoff = n.get("backoff");
    backoff.allowOnly("min", "max");
    Duration min = backoff.get("min").duration(d.minBackoff());
    Duration max = backoff.get("max").duration(d.maxBackoff());
    if (min.isZero() || max.compareTo(min) < 0) {
      backoff.error("min must be positive and at most max");
    }
    return new RefreshConfig(at, jitter, min, max);
  }

  /** {@code 0.75} or {@code 75%}, within [min, max]. */
  private static double fraction(ConfigNode n, double dflt, double min, double max) {
    String s = n.string(null);
    if (s == null) {
      return dflt;
    }
    Matcher m = FRACTION.matcher(s.trim());
    if (!m.matches()) {
      n.error("expected a fraction like 0.75 or 75%, got \"" + s + "\"");
      return dflt;
    }
    double v = Double.parseDouble(m.group(1)) / (m.group(2).isEmpty() ? 1 : 100);
    if (v < min || v > max) {
      n.error("must be between " + min + " and " + max + ", got " + v);
      return dflt;
    }
    return v;
  }
}
