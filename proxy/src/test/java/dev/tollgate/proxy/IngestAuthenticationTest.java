package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Bad credentials at the door: every case is a 401 with a challenge, an audit event, and nothing forwarded. */
class IngestAuthenticationTest {
  @TempDir static Path dir;
  static TollgateFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new TollgateFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        row("no token", fx -> null, "Authorization"),
        row("expired", fx -> fx.token("shop-collector", List.of("tollgate"), Map.of("azp", "shop-collector"), -600),
            "expired"),
        row("wrong audience", fx -> fx.token("shop-collector", List.of("someone-else"), Map.of(), 3600), "audience"),
        row("alg none", fx -> unsigned(fx.token("shop-collector")), "alg"),
        row("garbage", fx -> "not.a.jwt", ""));
  }

  private static Arguments row(String name, Function<TollgateFixture, String> token, String reason) {
    return Arguments.of(Named.of(name, token), reason);
  }

  /** The same claims with {@code alg: none} and no signature. */
  private static String unsigned(String jwt) {
    String[] parts = jwt.split("\\.");
    String header = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    return header + "." + parts[1] + ".";
  }

  @ParameterizedTest
  @MethodSource("badTokens")
  void refusedWith401(Function<TollgateFixture, String> token, String reason) throws Exception {
    f.collector.reset();
    String t = token.apply(f);
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", t, "application/x-protobuf",
        Otlp.traces("checkout:1").toByteArray());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(Status.parseFrom(r.body()).getMessage()).containsIgnoringCase(reason);
    assertThat(f.collector.received()).isEmpty();
    var event = f.audit(r);
    assertThat(event.getInteger("status")).isEqualTo(401);
    assertThat(event.getString("decision")).isEqualTo("deny");
    if (t != null) {
      assertThat(event.encode()).doesNotContain(t);
      assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain(t);
    }
  }

  @Test
  void tokenInTheQueryStringIsRefusedEvenWhenValid() throws Exception {
    String t = f.token("shop-collector");
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces?access_token=" + t, null, "application/x-protobuf",
        Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("query string");
    assertThat(f.audit(r).encode()).doesNotContain(t);
  }

  @Test
  void validTokenPasses() throws Exception {
    f.collector.reset();
    HttpResponse<byte[]> r = f.post("/projects/shop/v1/traces", f.token("shop-collector"), "application/x-protobuf",
        Otlp.traces("checkout:1").toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.collector.await(1)).hasSize(1);
  }
}
