package dev.tollgate.proxy.web;

import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The request content codings Tollgate reads: none, {@code gzip} (RFC 1952, several members
 * allowed) and {@code deflate} (the zlib format, RFC 9110 §8.4.1.2). Inflation uses one pooled
 * {@link Inflater} per thread, reset between requests, instead of a new decoder (and its native
 * zlib state) per request; the output is bounded as it grows, so a small bomb stops at the limit.
 */
enum ContentCoding {
  IDENTITY,
  GZIP,
  DEFLATE;

  private static final ThreadLocal<Inflater> RAW = ThreadLocal.withInitial(() -> new Inflater(true));
  private static final ThreadLocal<Inflater> ZLIB = ThreadLocal.withInitial(() -> new Inflater(false));
  private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xe0;

  /** The coding a {@code Content-Encoding} value names, or null for one Tollgate does not read. */
  static ContentCoding of(String header) {
    if (header == null) {
      return IDENTITY;
    }
    switch (header.strip().toLowerCase(Locale.ROOT)) {
      case "", "identity":
        return IDENTITY;
      case "gzip", "x-gzip":
        return GZIP;
      case "deflate", "x-deflate":
        return DEFLATE;
      default:
        return null;
    }
  }

  /**
   * Where decoded bytes go: an array that grows by doubling, never past {@code limit}. Subclasses
   * decide whether it may grow (BodyReader asks the in-flight memory budget).
   */
  abstract static class Sink {
    byte[] bytes = new byte[0];
    int length;
    final int limit;

    Sink(int limit) {
      this.limit = limit;
    }

    /** Grows {@link #bytes} to exactly {@code capacity} (at most the limit); false when refused. */
    abstract boolean grow(int capacity);

    /** Called when a byte more than the limit is wanted; the answer is always no. */
    boolean refuseAtLimit() {
      return false;
    }

    /**
     * Room for up to {@code more} bytes: at least one, fewer only at the limit. Grows by doubling,
     * or, when that is refused, by just what is asked. False when none fits.
     */
    final boolean ensure(int more) {
      if (length >= limit) {
        return refuseAtLimit();
      }
      int want = (int) Math.min(limit, (long) length + more);
      if (want <= bytes.length) {
        return true;
      }
      int doubled = (int) Math.min(limit, Math.max(want, 2L * bytes.length));
      return grow(doubled) || (doubled > want && grow(want));
    }

    final boolean atLimit() {
      return length >= limit;
    }
  }

  /** The body is not valid in its declared coding. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Decodes {@code in[0..len)} into {@code out}. Returns false as soon as {@code out} refuses to
   * grow (the caller knows whether that was the limit or the budget).
   *
   * @throws Malformed when the data is not valid gzip or zlib, is truncated, or fails its checksum
   */
  boolean decode(byte[] in, int len, Sink out) throws Malformed {
    if (len == 0) {
      return true; // an empty body stays empty, whatever its declared coding
    }
    Inflater inf = this == GZIP || !zlibHeader(in, len) ? RAW.get() : ZLIB.get();
    try {
      switch (this) {
        case GZIP:
          return gunzip(inf, in, len, out);
        case DEFLATE:
          return inflateAll(inf, in, len, out);
        default:
          throw new IllegalStateException("identity is not decoded");
      }
    } finally {
      inf.reset(); // drops its reference to this body's bytes until the next one
    }
  }

  /**
   * Whether the data starts with a zlib header (RFC 1950: deflate, a window of at most 32 KiB, a
   * check that makes the first two bytes a multiple of 31). {@code deflate} means zlib, but some
   * senders send raw deflate under that name; like Netty's decoder, Tollgate reads both.
   */
  private static boolean zlibHeader(byte[] in, int len) {
    int cmf = in[0] & 0xff;
    return len >= 2 && (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | (in[1] & 0xff)) % 31 == 0;
  }

  private static boolean inflateAll(Inflater inf, byte[] in, int len, Sink out) throws Malformed {
    inf.reset();
    inf.setInput(in, 0, len);
    if (!inflate(inf, out)) {
      return false;
    }
    if (inf.getRemaining() != 0) {
      throw new Malformed("malformed deflate body: data after the end of the stream");
    }
    return true;
  }

  private static boolean gunzip(Inflater inf, byte[] in, int len, Sink out) throws Malformed {
    CRC32 crc = CRC.get();
    int pos = 0;
    do {
      pos = skipHeader(in, pos, len);
      inf.reset();
      inf.setInput(in, pos, len - pos);
      int start = out.length;
      if (!inflate(inf, out)) {
        return false;
      }
      pos = len - inf.getRemaining();
      if (len - pos < 8) {
        throw new Malformed("malformed gzip body: truncated trailer");
      }
      crc.reset();
      crc.update(out.bytes, start, out.length - start);
      if ((int) crc.getValue() != le32(in, pos) || (out.length - start) != le32(in, pos + 4)) {
        throw new Malformed("malformed gzip body: checksum or length mismatch");
      }
      pos += 8;
    } while (pos < len);
    return true;
  }

  /** Inflates until the stream ends; false when {@code out} refuses to grow. */
  private static boolean inflate(Inflater inf, Sink out) throws Malformed {
    try {
      while (!inf.finished()) {
        if (!out.ensure(8 * 1024)) {
          if (!out.atLimit()) {
            return false;
          }
          // At the limit the stream may still be at its very end: one byte more decides.
          int n = inf.inflate(new byte[1]);
          if (n == 0 && inf.finished()) {
            return true;
          }
          if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
            throw new Malformed("malformed compressed body: truncated or needs a preset dictionary");
          }
          return out.refuseAtLimit();
        }
        int n = inf.inflate(out.bytes, out.length, out.bytes.length - out.length);
        out.length += n;
        if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
          throw new Malformed("malformed compressed body: truncated or needs a preset dictionary");
        }
      }
      return true;
    } catch (DataFormatException e) {
      throw new Malformed("malformed compressed body: " + e.getMessage());
    }
  }

  /** Checks one gzip member header at {@code pos}; returns where its deflate data starts. */
  private static int skipHeader(byte[] in, int pos, int len) throws Malformed {
    if (len - pos < 10 || (in[pos] & 0xff) != 0x1f || (in[pos + 1] & 0xff) != 0x8b || in[pos + 2] != 8) {
      throw new Malformed("malformed gzip body: bad header");
    }
    int flags = in[pos + 3] & 0xff;
    if ((flags & RESERVED) != 0) {
      throw new Malformed("malformed gzip body: reserved header flags set");
    }
    int p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      if (len - p < 2) {
        throw new Malformed("malformed gzip body: truncated header");
      }
      p += 2 + ((in[p] & 0xff) | (in[p + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = skipZeroTerminated(in, p, len);
    }
    if ((flags & FCOMMENT) != 0) {
      p = skipZeroTerminated(in, p, len);
    }
    if ((flags & FHCRC) != 0) {
      p += 2;
    }
    if (p > len) {
      throw new Malformed("malformed gzip body: truncated header");
    }
    return p;
  }

  private static int skipZeroTerminated(byte[] in, int p, int len) throws Malformed {
    while (p < len && in[p] != 0) {
      p++;
    }
    if (p >= len) {
      throw new Malformed("malformed gzip body: truncated header");
    }
    return p + 1;
  }

  private static int le32(byte[] b, int p) {
    return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
  }
}
