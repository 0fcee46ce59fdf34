package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void suggestsTheClosestNameOnlyWhenClose() {
    assertThat(Suggestions.didYouMean("shop-prd", List.of("shop-prod", "payments"))).isEqualTo(" (did you mean \"shop-prod\"?)");
    assertThat(Suggestions.didYouMean("zzzzzz", List.of("shop-prod", "payments"))).isEmpty();
  }
}
