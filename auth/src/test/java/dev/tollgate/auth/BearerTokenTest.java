package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BearerTokenTest {
  private static final AuthenticationException.Kind MISSING = AuthenticationException.Kind.MISSING;
  private static final AuthenticationException.Kind BAD = AuthenticationException.Kind.INVALID_REQUEST;

  static Stream<Arguments> accepted() {
    return Stream.of(
        argumentSet("canonical", "Bearer abc.def.ghi", "abc.def.ghi"),
        argumentSet("scheme in lower case", "bearer abc.def.ghi", "abc.def.ghi"),
        argumentSet("scheme in upper case, extra spaces", "  BEARER   abc.def.ghi  ", "abc.def.ghi"),
        argumentSet("token68 padding", "Bearer a+b/c==", "a+b/c=="));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void extractsTheToken(String header, String token) {
    assertThat(BearerToken.fromAuthorizationHeader(header)).isEqualTo(token);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        argumentSet("no header", null, MISSING, "no bearer token"),
        argumentSet("blank header", "  ", MISSING, "no bearer token"),
        argumentSet("basic auth", "Basic dXNlcjpwYXNz", BAD, "expected the Bearer"),
        argumentSet("scheme glued to token", "Bearerabc.def.ghi", BAD, "expected the Bearer"),
        argumentSet("scheme only", "Bearer", BAD, "empty bearer token"),
        argumentSet("scheme and spaces", "Bearer    ", BAD, "empty bearer token"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesAnythingButOneBearerToken(String header, AuthenticationException.Kind kind, String reason) {
    assertRefused(() -> BearerToken.fromAuthorizationHeader(header), kind, reason);
  }

  static Stream<Arguments> notOneToken68() {
    return Stream.of(
        argumentSet("two tokens", "Bearer abc def", "exactly one"),
        argumentSet("comma list", "Bearer abc,def", "exactly one"),
        argumentSet("tab between tokens", "Bearer abc\tdef", "exactly one"),
        argumentSet("quote in token", "Bearer abc\"def", "malformed bearer token"),
        argumentSet("padding first", "Bearer =abc", "malformed bearer token"),
        argumentSet("padding only", "Bearer ==", "malformed bearer token"),
        argumentSet("character after padding", "Bearer abc=d", "malformed bearer token"),
        argumentSet("newline in token", "Bearer abc\ndef", "malformed bearer token"),
        argumentSet("non-ASCII letter", "Bearer abc\u00e9def", "malformed bearer token"));
  }

  /** The header gives up what follows the scheme; the verifier's check refuses it before parsing. */
  @ParameterizedTest
  @MethodSource("notOneToken68")
  void theCheckRefusesAnythingButOneToken68(String header, String reason) {
    String token = BearerToken.fromAuthorizationHeader(header);
    assertRefused(() -> BearerToken.check(token), BAD, reason);
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void theCheckPassesEveryAcceptedToken(String header, String token) {
    BearerToken.check(BearerToken.fromAuthorizationHeader(header));
  }

  private static void assertRefused(ThrowingCallable call,
      AuthenticationException.Kind kind, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.reason()).contains(reason);
          assertThat(e.getStackTrace()).isEmpty();
        });
  }

  @Test
  void refusesSeveralAuthorizationHeaders() {
    assertThatThrownBy(() -> BearerToken.fromAuthorizationHeaders(List.of("Bearer a", "Bearer b")))
        .isInstanceOfSatisfying(AuthenticationException.class,
            e -> assertThat(e.reason()).isEqualTo("more than one Authorization header"));
    assertThat(BearerToken.fromAuthorizationHeaders(List.of("Bearer a"))).isEqualTo("a");
  }

  @Test
  void challengeFollowsRfc6750() {
    assertThat(AuthenticationException.invalidToken("token expired").wwwAuthenticate())
        .isEqualTo("Bearer error=\"invalid_token\", error_description=\"token expired\"");
    assertThat(new AuthenticationException(MISSING, "no bearer token").wwwAuthenticate()).isEqualTo("Bearer");
    assertThat(AuthenticationException.invalidRequest("x").httpStatus()).isEqualTo(400);
  }

  @Test
  void reasonStaysOneSafeLine() {
    AuthenticationException e = AuthenticationException.invalidToken("bad \"kid\"\r\nSet-Cookie: x\\");
    assertThat(e.reason()).isEqualTo("bad ?kid???Set-Cookie: x?");
  }
}
