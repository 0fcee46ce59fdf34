package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServicePatternTest {

  static Stream<Arguments> globs() {
    return Stream.of(
        argumentSet("* matches empty", "*", "", true),
        argumentSet("* matches anything", "*", "shop.api-v2", true),
        argumentSet("** is still everything", "**", "x", true),
        argumentSet("exact name", "checkout", "checkout", true),
        argumentSet("exact is not a prefix", "checkout", "checkout-v2", false),
        argumentSet("case-sensitive", "checkout", "Checkout", false),
        argumentSet("prefix", "shop-*", "shop-cart", true),
        argumentSet("prefix matches bare prefix", "shop-*", "shop-", true),
        argumentSet("prefix is case-sensitive", "shop-*", "Shop-cart", false),
        argumentSet("suffix", "*-canary", "cart-canary", true),
        argumentSet("suffix mismatch", "*-canary", "cart-canary2", false),
        argumentSet("a*b empty middle", "a*b", "ab", true),
        argumentSet("a*b long middle", "a*b", "axxxb", true),
        argumentSet("a*b repeated end", "a*b", "abb", true),
        argumentSet("a*b wrong end", "a*b", "abc", false),
        argumentSet("a*b wrong start", "a*b", "bab", false),
        argumentSet("a*b*c in order", "a*b*c", "aXbYc", true),
        argumentSet("a*b*c out of order", "a*b*c", "acb", false),
        argumentSet("*mid* contains", "*mid*", "amidb", true),
        argumentSet("*mid* bare", "*mid*", "mid", true),
        argumentSet("*mid* partial", "*mid*", "mi", false),
        argumentSet("? one char", "?", "a", true),
        argumentSet("? not zero chars", "?", "", false),
        argumentSet("? not two chars", "?", "ab", false),
        argumentSet("? one code point", "?", "\uD83D\uDE00", true),
        argumentSet("a?c", "a?c", "abc", true),
        argumentSet("a?c needs the char", "a?c", "ac", false),
        argumentSet("*? needs one char", "*?", "", false),
        argumentSet("ci-? single digit", "ci-?", "ci-1", true),
        argumentSet("ci-? not two digits", "ci-?", "ci-12", false),
        argumentSet("literal dot matches dot", "shop.api", "shop.api", true),
        argumentSet("literal dot is not any char", "shop.api", "shopXapi", false),
        argumentSet("dot-star is literal", "a.*", "a.b", true),
        argumentSet("dot-star needs the dot", "a.*", "ab", false),
        argumentSet("plus is literal", "a+b", "a+b", true),
        argumentSet("plus is not repetition", "a+b", "aab", false),
        argumentSet("brackets are literal", "[ab]", "[ab]", true),
        argumentSet("brackets are not a class", "[ab]", "a", false),
        argumentSet("alternation is literal", "(x|y)", "x", false),
        argumentSet("anchors are literal", "^a$", "^a$", true),
        argumentSet("backslash-d is literal", "\\d", "1", false),
        argumentSet("backslash-d matches itself", "\\d", "\\d", true),
        argumentSet("glob with regex chars", "svc+*.(v?)", "svc+x.(v2)", true));
  }

  @ParameterizedTest
  @MethodSource("globs")
  void patternMatchesServiceName(String pattern, String service, boolean expected) {
    assertThat(ServicePattern.compile(pattern).matches(service)).isEqualTo(expected);
    assertThat(ServiceMatcher.of(List.of(pattern)).matches(service)).isEqualTo(expected);
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        argumentSet("star", "*", ServicePattern.Kind.ANY),
        argumentSet("name", "checkout", ServicePattern.Kind.EXACT),
        argumentSet("trailing star", "shop-*", ServicePattern.Kind.PREFIX),
        argumentSet("leading star", "*-canary", ServicePattern.Kind.SUFFIX),
        argumentSet("inner star", "a*b", ServicePattern.Kind.GLOB),
        argumentSet("question mark", "ci-?", ServicePattern.Kind.GLOB),
        argumentSet("regex chars are exact", "a+b.c", ServicePattern.Kind.EXACT));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void commonShapesAvoidTheGlobMatcher(String pattern, ServicePattern.Kind kind) {
    assertThat(ServicePattern.compile(pattern).kind()).isEqualTo(kind);
  }

  @Test
  void aSetMatchesWhenAnyPatternMatches() {
    ServiceMatcher m = ServiceMatcher.of(List.of("checkout", "shop-*", "*-canary", "ci-?"));
    assertThat(Stream.of("checkout", "shop-x", "a-canary", "ci-7")).allMatch(m::matches);
    assertThat(Stream.of("checkout2", "shopx", "canary", "ci-77", "")).noneMatch(m::matches);
    assertThat(m.matchesEverything()).isFalse();
    assertThat(ServiceMatcher.of(List.of("x", "*")).matchesEverything()).isTrue();
  }
}
