package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only hosts that cannot leave the machine count as loopback; nothing is looked up in DNS. */
class LoopbackTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://localhost:8080/x, true",
      "http://LOCALHOST/, true",
      "http://127.0.0.1/, true",
      "http://127.255.255.254:1/, true",
      "http://[::1]:8080/, true",
      "http://[0:0:0:0:0:0:0:1]/, true",
      "http://[::ffff:127.0.0.1]/, true",
      "http://128.0.0.1/, false",
      "http://10.0.0.1/, false",
      "http://0.0.0.0/, false",
      "http://127.0.0.256/, false",
      "http://0127.0.0.1/, false",
      "http://127.1/, false",
      "http://localhost.example.com/, false",
      "http://127.0.0.1.nip.io/, false",
      "http://[::2]/, false",
      "http://[fe80::1]/, false",
      "http://idp.example.com/, false"})
  void judgesTheHostFromItsText(String url, boolean loopback) {
    assertThat(Loopback.is(URI.create(url))).isEqualTo(loopback);
  }
}
