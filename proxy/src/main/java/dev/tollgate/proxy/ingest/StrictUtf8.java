package dev.tollgate.proxy.ingest;

/**
 * UTF-8 validation as RFC 3629 defines it. Lenient decoders disagree on overlong forms, encoded
 * surrogates and code points past U+10FFFF, so a name in any of those could mean one thing to us
 * and another to the collector.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  static boolean valid(byte[] buf, int start, int end) {
    int i = start;
    while (i < end) {
      int b = buf[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int need = sequenceLength(b & 0xff);
      if (need == 0 || i + need > end || !continuationsOk(buf, i, need)) {
        return false;
      }
      i += need;
    }
    return true;
  }

  /** The length of a sequence starting with {@code lead}; 0 for bytes that cannot start one. */
  private static int sequenceLength(int lead) {
    if (lead >= 0xc2 && lead <= 0xdf) {
      return 2;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
      return 3;
    }
    return lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  }

  private static boolean continuationsOk(byte[] buf, int i, int need) {
    int lead = buf[i] & 0xff;
    int second = buf[i + 1] & 0xff;
    // The second byte's range is narrowed after E0, ED, F0 and F4 to exclude overlong forms,
    // surrogates and code points above U+10FFFF.
    int low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
    int high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) {
      return false;
    }
    for (int k = 2; k < need; k++) {
      if ((buf[i + k] & 0xc0) != 0x80) {
        return false;
      }
    }
    return true;
  }
}
