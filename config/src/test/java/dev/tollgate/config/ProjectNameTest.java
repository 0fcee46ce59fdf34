package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProjectNameTest {
  @Test
  void theLoopAcceptsExactlyWhatThePatternDoes() {
    String alphabet = "az09-_A.|/%é ";
    Random random = new Random(7);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      int len = random.nextInt(70);
      StringBuilder sb = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        // mostly valid characters, so long valid names occur too
        sb.append(random.nextInt(10) < 8 ? "abz019-".charAt(random.nextInt(7)) : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      boolean expected = ProjectConfig.NAME.matcher(s).matches();
      assertThat(ProjectConfig.isName(s)).as("%s", s).isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("the sample has valid names too").isGreaterThan(1_000);
  }

  @Test
  void edges() {
    assertThat(ProjectConfig.isName("a")).isTrue();
    assertThat(ProjectConfig.isName("a".repeat(63))).isTrue();
    assertThat(ProjectConfig.isName("a".repeat(64))).isFalse();
    assertThat(ProjectConfig.isName("")).isFalse();
    assertThat(ProjectConfig.isName("-a")).isFalse();
    assertThat(ProjectConfig.isName("a-")).isFalse();
    assertThat(ProjectConfig.isName("a--b")).isTrue();
    assertThat(ProjectConfig.isName("shop|ops")).isFalse();
  }
}
