package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.auth.upstream.CredentialMetrics;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream credentials end to end: a collector that refuses Tollgate's credential makes Tollgate
 * renew it once and retry once; what is left over is a 503 with Retry-After, never a 401 the sender
 * would drop data for. Every answer is audited with the credential's kind and key id, never a secret.
 */
class CredentialsEndToEndTest {
  @TempDir static Path dir;
  static CredentialsFixture f;
  static String callerToken;

  @BeforeAll
  static void start() throws Exception {
    f = new CredentialsFixture(dir);
    callerToken = f.token("shop-collector");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.collector.reset();
    // Renewals are spaced by the minimum backoff (1 s); each test starts past the previous one's.
    f.clock.advance(Duration.ofSeconds(2));
  }

  static String authorization(RecordingCollector.Received r) {
    return r.headers().get("authorization");
  }

  static SignedJWT bearer(RecordingCollector.Received r) throws Exception {
    return SignedJWT.parse(authorization(r).substring("Bearer ".length()));
  }

  CredentialMetrics.Snapshot metrics(String upstream) {
    return f.tollgate.routes().credentialMetrics().get(upstream).snapshot(f.clock.instant());
  }

  @Test
  void aRefusedCredentialIsRenewedAndTheRetryDelivers() throws Exception {
    AtomicReference<String> refused = new AtomicReference<>();
    f.collector.answer = h -> {
      String auth = h.get("authorization");
      return refused.compareAndSet(null, auth) || auth.equals(refused.get()) ? 401 : 200;
    };

    HttpResponse<byte[]> r = f.export("shop", callerToken);

    assertThat(r.statusCode()).isEqualTo(200);
    List<RecordingCollector.Received> got = f.collector.await(2);
    assertThat(authorization(got.get(0))).isEqualTo(refused.get());
    assertThat(authorization(got.get(1))).isNotEqualTo(refused.get()).startsWith("Bearer ");
    assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
    assertThat(got.get(1).traces()).isEqualTo(got.get(0).traces());
    JsonObject audit = f.audit(r);
    assertThat(audit.getString("credential")).isEqualTo("client-credentials");
    assertThat(audit.getString("credential_key_id")).isEqualTo("jti:" + bearer(got.get(1)).getJWTClaimsSet().getJWTID());
    assertThat(audit.getInteger("upstream_status")).isEqualTo(200);
    assertThat(metrics("cc").refusals()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aCredentialRefusedAgainAfterRenewalIsA503WithRetryAfter() throws Exception {
    f.collector.answer = h -> 401;
    long unrecovered = metrics("cc").unrecoveredRefusals();

    HttpResponse<byte[]> r = f.export("shop", callerToken);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isPresent();
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).as("UNAVAILABLE: the sender retries").isEqualTo(14);
    assertThat(status.getMessage()).contains("refused", "(request id ");
    List<RecordingCollector.Received> got = f.collector.await(2);
    assertThat(authorization(got.get(1))).as("the retry carried a renewed credential")
        .isNotEqualTo(authorization(got.get(0)));
    JsonObject audit = f.audit(r);
    assertThat(audit.getInteger("status")).isEqualTo(503);
    assertThat(audit.getInteger("upstream_status")).isEqualTo(401);
    assertThat(audit.getString("credential")).isEqualTo("client-credentials");
    assertThat(audit.getString("credential_key_id")).isEqualTo("jti:" + bearer(got.get(1)).getJWTClaimsSet().getJWTID());
    assertThat(audit.getString("reason")).contains("refused");
    assertThat(metrics("cc").unrecoveredRefusals()).isEqualTo(unrecovered + 1);
    assertNoSecretIn(new String(r.body(), StandardCharsets.UTF_8), got);
    assertNoSecretIn(f.auditFile(), got);
  }

  @Test
  void tokenExchangeSendsATokenForTheCallerScopedToTheProject() throws Exception {
    HttpResponse<byte[]> r = f.export("exchanged", callerToken);

    assertThat(r.statusCode()).isEqualTo(200);
    RecordingCollector.Received got = f.collector.await(1).get(0);
    assertThat(authorization(got)).isNotEqualTo("Bearer " + callerToken);
    SignedJWT exchanged = bearer(got);
    assertThat(exchanged.getJWTClaimsSet().getSubject()).isEqualTo("shop-collector");
    assertThat(exchanged.getJWTClaimsSet().getAudience()).containsExactly("collector-exchanged");
    JsonObject audit = f.audit(r);
    assertThat(audit.getString("credential")).isEqualTo("token-exchange");
    assertThat(audit.getString("credential_key_id")).isEqualTo("jti:" + exchanged.getJWTClaimsSet().getJWTID());
    assertNoSecretIn(f.auditFile(), List.of(got));
  }

  @Test
  void theCallersTokenNeverReachesTheCollector() throws Exception {
    f.export("shop", callerToken);
    f.export("exchanged", callerToken);
    f.export("minted", callerToken);

    for (RecordingCollector.Received got : f.collector.await(3)) {
      got.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(callerToken));
    }
  }

  /** Neither the client secret, nor the caller's token, nor any credential the collector saw. */
  static void assertNoSecretIn(String text, List<RecordingCollector.Received> seen) {
    assertThat(text).doesNotContain(CredentialsFixture.CLIENT_SECRET).doesNotContain(callerToken);
    for (RecordingCollector.Received r : seen) {
      assertThat(text).doesNotContain(authorization(r).substring("Bearer ".length()));
    }
  }
}
