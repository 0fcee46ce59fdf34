package dev.tollgate.proxy.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import java.io.IOException;

/**
 * A jackson streaming parser over a caller's array that also knows where each token sits in that
 * array, so members can be copied raw. Parse errors become {@link MalformedPayloadException}s that
 * name a byte offset and never quote the payload. Public for the query filters, which copy the
 * permitted parts of a backend's answer the same way.
 */
public final class JsonCursor implements AutoCloseable {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      // Names are sender-chosen: keep them out of the JVM's string intern pool.
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private final JsonParser parser;
  private final byte[] buf;
  private final int start;
  private final int origin;

  /** A cursor over {@code [start, end)}; {@code origin} is where the payload starts. */
  public JsonCursor(byte[] buf, int origin, int start, int end) {
    this.buf = buf;
    this.start = start;
    this.origin = origin;
    try {
      this.parser = FACTORY.createParser(buf, start, end - start);
    } catch (IOException e) {
      throw new MalformedPayloadException("invalid JSON");
    }
    if (!(parser instanceof UTF8StreamJsonParser)) {
      // Jackson reads UTF-16 and UTF-32 with a parser that knows no byte offsets.
      close();
      throw new MalformedPayloadException("JSON is not UTF-8");
    }
  }

  public JsonToken next() {
    try {
      return parser.nextToken();
    } catch (IOException e) {
      throw fail("invalid JSON", (int) parser.currentLocation().getByteOffset() + start);
    }
  }

  /** Skips the value of the current token; a no-op for scalars. */
  public void skipValue() {
    try {
      parser.skipChildren();
    } catch (IOException e) {
      throw fail("invalid JSON", (int) parser.currentLocation().getByteOffset() + start);
    }
  }

  /** The array index where the current token starts (its quote, brace or first character). */
  public int tokenStart() {
    return start + (int) parser.currentTokenLocation().getByteOffset();
  }


  /** The current member name, refused unless every reader would decode it to the same text. */
  String name() {
    try {
      return checked(parser.currentName(), "member name");
    } catch (IOException e) {
      throw fail("invalid JSON", tokenStart());
    }
  }

  /** The current member name, decoded but not checked; for names that decide nothing. */
  public String rawName() {
    try {
      return parser.currentName();
    } catch (IOException e) {
      throw fail("invalid JSON", tokenStart());
    }
  }

  /** The current string value, refused unless every reader would decode it to the same text. */
  String text(String what) {
    try {
      return checked(parser.getText(), what);
    } catch (IOException e) {
      throw fail("invalid JSON", tokenStart());
    }
  }

  /** The current string value, decoded but not checked; for values only Tollgate looks at. */
  public String rawText() {
    try {
      return parser.getText();
    } catch (IOException e) {
      throw fail("invalid JSON", tokenStart());
    }
  }

  /** Checks the string token that starts with the quote at {@code quote}. */
  void check(int quote, String decoded, String what) {
    if (!readsOneWay(quote, decoded)) {
      throw fail(what + " is not valid UTF-8", quote);
    }
  }

  /**
   * Whether the current name or string token, {@code decoded} as Jackson read it, reads the same to
   * every reader: the check {@link #name} and {@link #text} make, without failing.
   */
  public boolean readsOneWay(String decoded) {
    return readsOneWay(tokenStart(), decoded);
  }

  /** Whether {@code [start, end)} is valid UTF-8 (RFC 3629), as a strict reader needs it. */
  public boolean validUtf8(int start, int end) {
    return StrictUtf8.valid(buf, start, end);
  }

  private boolean readsOneWay(int quote, String decoded) {
    int end = quote + 1;
    while (buf[end] != '"') {
      end += buf[end] == '\\' ? 2 : 1;
    }
    // Jackson decodes some invalid UTF-8 that other readers replace, and passes lone surrogate
    // escapes through: either way two readers would see different text.
    return StrictUtf8.valid(buf, quote + 1, end) && JsonStrings.wellFormed(decoded);
  }

  /** The end of a raw member or element that the token at {@code next} follows. */
  public int endBefore(int next) {
    int end = skipSpaceBack(next);
    if (buf[end - 1] == ',') {
      end = skipSpaceBack(end - 1);
    }
    return end;
  }

  public MalformedPayloadException fail(String reason, int at) {
    return new MalformedPayloadException(reason + " at byte " + (at - origin));
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      // Nothing to release for an array source.
    }
  }

  private String checked(String decoded, String what) {
    check(tokenStart(), decoded, what);
    return decoded;
  }

  private int skipSpaceBack(int end) {
    while (buf[end - 1] == ' ' || buf[end - 1] == '\n' || buf[end - 1] == '\r'
        || buf[end - 1] == '\t') {
      end--;
    }
    return end;
  }
}
