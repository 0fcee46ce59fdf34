package dev.tollgate.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a URL stays on this machine: {@code localhost}, 127.0.0.0/8 or {@code ::1}, judged from
 * the text alone (no DNS lookup, so a name cannot be made to point elsewhere). Only such URLs may
 * use plain http for keys and tokens: nobody else is on the path.
 */
public final class Loopback {
  // No leading zeros: some resolvers read 0127.0.0.1 as octal, which is not loopback.
  private static final String OCTET = "(0|[1-9][0-9]{0,2})";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
  private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private Loopback() {}

  /** True when {@code uri}'s host is a loopback name or address. */
  public static boolean is(URI uri) {
    return uri != null && host(uri.getHost());
  }

  /** True for {@code localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code ::1} (bracketed or not). */
  public static boolean host(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    Matcher v4 = IPV4.matcher(host);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return false;
        }
      }
      return v4.group(1).equals("127");
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV6.matcher(literal).matches()) {
      return false;
    }
    try {
      // Hex digits, colons and dots only: the JDK parses this as an IPv6 literal and never looks it up.
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
