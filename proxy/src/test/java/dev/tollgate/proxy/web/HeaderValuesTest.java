package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoders' value check says yes and no exactly where Netty's does. */
class HeaderValuesTest {
  private static final DefaultHeaders.ValueValidator<CharSequence> NETTY =
      DefaultHttpHeadersFactory.headersFactory().getValueValidator();
  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

  @Test
  void aLongTokenIsAcceptedWithoutAskingNetty() {
    String value = "Bearer " + token(new Random(1), 675);
    assertThat(HeaderValues.clean(value)).isTrue();
    HeaderValues.VALIDATOR.validate(value);
  }

  @ParameterizedTest
  @ValueSource(chars = {0x00, 0x01, 0x0a, 0x0d, 0x1f, 0x7f})
  void aForbiddenCharacterAtAnyPlaceOfALongValueIsRefused(char bad) {
    String token = token(new Random(2), 75);
    for (int at = 1; at < token.length(); at++) {
      String value = token.substring(0, at) + bad + token.substring(at);
      assertThat(HeaderValues.clean(value)).as("at %d", at).isFalse();
      assertThatThrownBy(() -> HeaderValues.VALIDATOR.validate(value)).as("at %d", at)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(chars = {' ', '\t', 0x01, 0x7f})
  void aLongValueMayNotStartWithWhitespaceOrAControlCharacter(char first) {
    String value = first + token(new Random(3), 40);
    assertThatThrownBy(() -> HeaderValues.VALIDATOR.validate(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tabsObsTextAndWideCharactersAreLeftToNettyWhichAcceptsThem() {
    String token = token(new Random(4), 40);
    for (String value : new String[] {token + "\tmore", token + " more", token + "\u00e9\u00ff\u0080",
        token + "\u010a\u017f\u0141"}) {
      HeaderValues.VALIDATOR.validate(value);
      NETTY.validate(value);
    }
    // a wide character's low byte can look like a control character: not clean, but Netty's to judge
    assertThat(HeaderValues.clean(token + "\u010a")).isFalse();
  }

  @Test
  void valuesLongerThanTheScratchArrayAreNettysToJudge() {
    String value = token(new Random(6), HeaderValues.SCRATCH + 100);
    assertThat(HeaderValues.clean(value)).isFalse();
    HeaderValues.VALIDATOR.validate(value);
    assertThatThrownBy(() -> HeaderValues.VALIDATOR.validate(value + "\u007f"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThreadKeepsNoCopyOfAValue() {
    String token = "Bearer " + token(new Random(7), 675);
    HeaderValues.VALIDATOR.validate(token);
    assertThatThrownBy(() -> HeaderValues.VALIDATOR.validate(token + "\n")).isInstanceOf(IllegalArgumentException.class);
    byte[] scratch = HeaderValues.scratch();
    for (int i = 0; i < token.length() + 1; i++) {
      assertThat(scratch[i]).as("byte %d", i).isZero();
    }
  }

  @Test
  void randomValuesGetNettysAnswer() {
    Random random = new Random(20261123);
    char[] alphabet = {0x00, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x21, 0x41, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xff,
        0x100, 0x10a, 0x17f, 0x2028};
    int refused = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder(token(random, random.nextInt(130)));
      int specials = random.nextInt(3);
      for (int k = 0; k < specials && b.length() > 0; k++) {
        b.setCharAt(random.nextInt(b.length()), alphabet[random.nextInt(alphabet.length)]);
      }
      String value = b.toString();
      boolean nettySays = accepts(NETTY, value);
      assertThat(accepts(HeaderValues.VALIDATOR, value)).as("%s", value.chars().mapToObj(Integer::toHexString)
          .toList()).isEqualTo(nettySays);
      if (HeaderValues.clean(value)) {
        assertThat(nettySays).as("clean means Netty accepts: %s", value).isTrue();
      }
      refused += nettySays ? 0 : 1;
    }
    assertThat(refused).as("the sample holds both answers").isBetween(20_000, 180_000);
  }

  @Test
  void theDecodersHeadersUseIt() {
    HttpHeaders headers = HeaderValues.HEADERS.newHeaders();
    String token = token(new Random(5), 64);
    headers.add("authorization", token);
    assertThatThrownBy(() -> headers.add("authorization", token + "\u007f")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> headers.add("bad name", "x")).as("names are still checked")
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static boolean accepts(DefaultHeaders.ValueValidator<CharSequence> validator, String value) {
    try {
      validator.validate(value);
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
