package dev.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;

final class Urls {
  private Urls() {}

  /** Parses an absolute http(s) URL, or records a problem and returns a placeholder. */
  static URI httpUrl(String text, ConfigNode at) {
    try {
      URI u = new URI(text);
      if (u.isAbsolute() && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // reported below, with the same message as any other non-URL
    }
    at.error("not an absolute http(s) URL");
    return URI.create("http://invalid/");
  }
}
