package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoders' value check says yes and no exactly where Netty's does, at any place in an array. */
class HeaderValuesTest {
  private static final DefaultHeaders.ValueValidator<CharSequence> NETTY =
      DefaultHttpHeadersFactory.headersFactory().getValueValidator();
  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

  @Test
  void aLongTokenIsAccepted() {
    assertThat(check("Bearer " + token(new Random(1), 675), 3)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(chars = {0x00, 0x01, 0x0a, 0x0d, 0x1f, 0x7f})
  void aForbiddenCharacterAtAnyPlaceOfAValueIsRefused(char bad) {
    String token = token(new Random(2), 75);
    for (int at = 0; at <= token.length(); at++) {
      String value = token.substring(0, at) + bad + token.substring(at);
      for (int offset = 0; offset < 9; offset++) {
        assertThat(check(value, offset)).as("at %d, offset %d", at, offset).isFalse();
      }
    }
  }

  @Test
  void tabsSpacesAndObsTextInsideAreAccepted() {
    String token = token(new Random(4), 40);
    for (String value : new String[] {token + "\tmore", token + " more", token + "\u00e9\u00ff\u0080", "a\tb"}) {
      assertThat(check(value, 1)).as(value).isTrue();
      NETTY.validate(value);
    }
  }

  /** Values as the decoder hands them over, trimmed: not starting or ending with SP or HTAB. */
  @Test
  void randomValuesGetNettysAnswer() {
    Random random = new Random(20261123);
    char[] alphabet = {0x00, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x21, 0x41, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xff};
    int refused = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder(token(random, 1 + random.nextInt(130)));
      int specials = random.nextInt(3);
      for (int k = 0; k < specials; k++) {
        int at = b.length() < 3 ? 0 : 1 + random.nextInt(b.length() - 2);
        b.setCharAt(at, alphabet[random.nextInt(alphabet.length)]);
      }
      String value = b.toString();
      if (value.charAt(0) == ' ' || value.charAt(0) == '\t') {
        continue; // Netty refuses these; the decoder never asks about them
      }
      boolean nettySays = accepts(value);
      assertThat(check(value, random.nextInt(16))).as("%s", value.chars().mapToObj(Integer::toHexString)
          .toList()).isEqualTo(nettySays);
      refused += nettySays ? 0 : 1;
    }
    assertThat(refused).as("the sample holds both answers").isBetween(20_000, 180_000);
  }

  /** {@code value} checked where it sits at {@code offset} in an array, amid bytes it must not look at. */
  private static boolean check(String value, int offset) {
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = new byte[offset + v.length + 9];
    java.util.Arrays.fill(b, (byte) 0x7F);
    System.arraycopy(v, 0, b, offset, v.length);
    return HeaderValues.fieldContent(b, offset, offset + v.length);
  }

  private static boolean accepts(String value) {
    try {
      NETTY.validate(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String token(Random random, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
    }
    return b.toString();
  }
}
