package dev.tollgate.proxy.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Agrees with the JDK's strict UTF-8 decoder, wherever in a run of ASCII a bad byte sits. */
class StrictUtf8Test {
  private static final byte[][] SEQUENCES = {
    {'a'}, {0x7f}, bytes(0xc3, 0xa9), bytes(0xe2, 0x82, 0xac), bytes(0xf0, 0x9f, 0x98, 0x80),
    // refused: overlong forms, an encoded surrogate, past U+10FFFF, a lone continuation, bad leads
    bytes(0xc0, 0xaf), bytes(0xe0, 0x80, 0xaf), bytes(0xed, 0xa0, 0x80), bytes(0xf4, 0x90, 0x80, 0x80),
    bytes(0x80), bytes(0xf5, 0x80, 0x80, 0x80), bytes(0xff), bytes(0xe2, 0x82), bytes(0xc3)
  };

  @Test
  void agreesWithTheJdksStrictDecoderAtEveryOffset() {
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      byte[] buf = new byte[1 + random.nextInt(40)];
      int at = 0;
      while (at < buf.length) {
        byte[] piece = random.nextInt(4) == 0 ? SEQUENCES[random.nextInt(SEQUENCES.length)]
            : new byte[] {(byte) (' ' + random.nextInt(95))};
        int n = Math.min(piece.length, buf.length - at);
        System.arraycopy(piece, 0, buf, at, n);
        at += n;
      }
      int start = random.nextInt(buf.length);
      int end = start + random.nextInt(buf.length - start + 1);
      assertThat(StrictUtf8.valid(buf, start, end)).as("round %d", round).isEqualTo(jdkAccepts(buf, start, end));
    }
  }

  @Test
  void aBadByteAfterLongRunsOfAsciiIsFound() {
    for (int run = 0; run < 40; run++) {
      for (byte[] bad : new byte[][] {bytes(0x80), bytes(0xc0, 0xaf), bytes(0xe2, 0x82)}) {
        byte[] buf = new byte[run + bad.length + 3];
        java.util.Arrays.fill(buf, (byte) 'x');
        System.arraycopy(bad, 0, buf, run, bad.length);
        assertThat(StrictUtf8.valid(buf, 0, buf.length)).as("after %d ASCII bytes", run).isFalse();
        assertThat(StrictUtf8.valid(buf, 0, run)).as("the ASCII before it").isTrue();
      }
    }
  }

  private static boolean jdkAccepts(byte[] buf, int start, int end) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, start, end - start));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
