package dev.tollgate.proxy.ingest;

import java.util.Locale;

/** The two OTLP/HTTP body encodings Tollgate reads and writes. */
public enum PayloadFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String mediaType;

  PayloadFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type to send in a Content-Type header, without parameters. */
  public String contentType() {
    return mediaType;
  }

  /**
   * The format a Content-Type header names, or {@code null} when it names neither (the caller
   * answers 415). Parameters are allowed, but a charset other than UTF-8 is not: OTLP/JSON is
   * UTF-8 only, and a body in another charset would be read differently by the collector.
   */
  public static PayloadFormat fromContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    for (PayloadFormat format : values()) {
      if (format.mediaType.equalsIgnoreCase(type)) {
        return semi < 0 || utf8Charset(contentType.substring(semi + 1)) ? format : null;
      }
    }
    return null;
  }

  private static boolean utf8Charset(String parameters) {
    for (String parameter : parameters.split(";")) {
      int eq = parameter.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = parameter.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = parameter.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
      if (name.equals("charset") && !value.equals("utf-8") && !value.equals("utf8")) {
        return false;
      }
    }
    return true;
  }
}
