package dev.tollgate.proxy.ingest.zipkin;

import java.util.Locale;

/** The two Zipkin v2 span encodings {@code POST /api/v2/spans} takes. */
enum SpanFormat {
  JSON("application/json"),
  PROTO3("application/x-protobuf");

  private final String mediaType;

  SpanFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String contentType() {
    return mediaType;
  }

  /**
   * The format a Content-Type names, or null (415). A charset other than UTF-8 is refused: Zipkin
   * reads JSON as UTF-8 whatever the header says.
   */
  static SpanFormat of(String contentType) {
    if (contentType == null) {
      return null;
    }
    String lower = contentType.toLowerCase(Locale.ROOT);
    int semi = lower.indexOf(';');
    String type = (semi < 0 ? lower : lower.substring(0, semi)).trim();
    if (semi >= 0 && lower.contains("charset") && !lower.replace(" ", "").matches(".*charset=\"?utf-?8\"?.*")) {
      return null;
    }
    for (SpanFormat f : values()) {
      if (f.mediaType.equals(type)) {
        return f;
      }
    }
    return null;
  }
}
