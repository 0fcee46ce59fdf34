package dev.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;

final class Urls {
  private static final URI INVALID = URI.create("http://invalid/");

  private Urls() {}

  /** Parses an absolute http(s) URL, or records a problem and returns a placeholder. */
  static URI httpUrl(String text, ConfigNode at) {
    URI u = parse(text);
    if (u == null) {
      at.error("not an absolute http(s) URL");
      return INVALID;
    }
    return withoutUserInfo(u, at);
  }

  /**
   * Refuses a URL carrying {@code user:password@}: URLs are logged (a failed key or token fetch
   * names its URL), a secret is not, and an upstream's is never sent. The error does not repeat it.
   */
  private static URI withoutUserInfo(URI u, ConfigNode at) {
    if (u.getRawUserInfo() != null) {
      at.error("must not carry credentials (user:password@): give them as a credential read from a file");
      return INVALID;
    }
    return u;
  }

  /**
   * Parses an absolute URL that must be https, or plain http on loopback only (see {@link
   * Loopback}); records a problem otherwise. {@code risk} says what an attacker on the path could
   * do with plain http, for the error message.
   */
  static URI httpsUrl(String text, ConfigNode at, String risk) {
    URI u = parse(text);
    if (u == null) {
      at.error("not an absolute https URL");
      return INVALID;
    }
    if ("http".equals(u.getScheme()) && !Loopback.is(u)) {
      at.error("must be https (" + risk + "); plain http is allowed only on loopback (localhost, 127.0.0.0/8, ::1)");
    }
    return withoutUserInfo(u, at);
  }

  private static URI parse(String text) {
    try {
      URI u = new URI(text);
      if (u.isAbsolute() && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // the caller reports it, with the same message as any other non-URL
    }
    return null;
  }
}
