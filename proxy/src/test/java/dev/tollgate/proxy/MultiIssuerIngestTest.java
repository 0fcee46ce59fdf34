package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.google.rpc.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two realms of one IdP can both have a user {@code alice}, a client {@code shop-collector} and a
 * group {@code shop-developers}. The policy binds corp's; the same names with a partners token
 * (valid, trusted, verified) must get nothing, and nothing of theirs may reach the collector.
 */
class MultiIssuerIngestTest {
  @TempDir static Path dir;
  static TwoIssuerFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new TwoIssuerFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> callers() {
    return Stream.of(
        row("client of corp", "corp", "shop-collector", Map.of("azp", "shop-collector"), 200),
        row("same client id from partners", "partners", "shop-collector", Map.of("azp", "shop-collector"), 403),
        row("user of corp", "corp", "alice", Map.of("azp", "cli"), 200),
        row("same subject from partners", "partners", "alice", Map.of("azp", "cli"), 403),
        row("group of corp", "corp", "bob", Map.of("azp", "cli", "groups", List.of("shop-developers")), 200),
        row("same group from partners", "partners", "bob",
            Map.of("azp", "cli", "groups", List.of("shop-developers")), 403));
  }

  private static Arguments row(String name, String issuer, String subject, Map<String, Object> claims, int status) {
    return argumentSet(name, issuer, subject, claims, status);
  }

  @ParameterizedTest
  @MethodSource("callers")
  void onlyTheBoundIssuersTokensWrite(String issuer, String subject, Map<String, Object> claims, int status)
      throws Exception {
    f.collector.reset();
    HttpResponse<byte[]> r = f.export("shop", f.token(issuer, subject, claims));

    assertThat(r.statusCode()).isEqualTo(status);
    var event = f.audit(r);
    assertThat(event.getJsonObject("caller").getString("issuer")).isEqualTo(f.idp.issuerUrl(issuer).toString());
    if (status == 200) {
      assertThat(f.collector.await(1)).hasSize(1);
      return;
    }
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("from issuer " + issuer);
    assertThat(event.getString("decision")).isEqualTo("deny");
    assertThat(f.collector.received()).as("nothing forwarded").isEmpty();
  }
}
