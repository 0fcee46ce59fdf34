package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTest {
  static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

  @Test
  void quotesShortPrintableTextAndCutsTheRest() {
    assertThat(Quoted.of("shop")).isEqualTo("\"shop\"");
    assertThat(Quoted.of("a\"b\u0001c\u00e9")).isEqualTo("\"a?b?c?\"");
    assertThat(Quoted.of("x".repeat(61))).isEqualTo("\"" + "x".repeat(60) + "...\"");
  }

  /** A backend that echoes a query, or a caller's text, may hold a token: none of it is quoted. */
  @Test
  void withholdsTextHoldingWhatLooksLikeAToken() {
    for (String text : new String[] {JWT, "Bearer " + JWT, "tag authorization=" + JWT + " not found",
        "{\"authorization\":\"" + JWT + "\"}", "eyJhbGciOiJub25lIn0.e30.",
        "eyAiYWxnIjogIlJTMjU2IiB9.eyJzdWIiOiJhIn0.c2ln", "auth=" + JWT.substring(0, 50)}) {
      assertThat(Quoted.holdsToken(text)).as(text).isTrue();
      assertThat(Quoted.of(text)).as(text).isEqualTo("(withheld: it holds what looks like a token)");
    }
    for (String text : new String[] {"eyJ", "eyJ.", "key eyJabc without a dot", "checkout.cart", "",
        "ApiKeyJwtFilter.doFilter", "com.example.ApiKeyJwtFilter.doFilter.inner", "eyJhbGciOiJSUzI1NiJ9 alone",
        "eyebrows.are.nice", "eyeTrackingService.initialize"}) {
      assertThat(Quoted.holdsToken(text)).as(text).isFalse();
    }
  }
}
