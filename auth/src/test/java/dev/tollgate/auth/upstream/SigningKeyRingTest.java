package dev.tollgate.auth.upstream;

import dev.tollgate.auth.TestClock;
import dev.tollgate.auth.Await;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.tollgate.config.IdentityConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key ring's life cycle, driven by the clock: next published ahead, promoted, retired, dropped. */
class SigningKeyRingTest {
  static final Duration ROTATE = Duration.ofHours(1);
  static final Duration AHEAD = Duration.ofMinutes(10);
  static final Duration SKEW = Duration.ofSeconds(30);
  /** A retired key may have signed a 5-minute token just before it retired. */
  static final Duration OVERLAP = Duration.ofMinutes(5).plus(SKEW);
  final TestClock clock = TestClock.atSystemTime();
  final SigningKeyRing ring = new SigningKeyRing(
      new IdentityConfig("https://tollgate.example", "tollgate", ROTATE, AHEAD, SKEW), clock,
      () -> Future.succeededFuture(SigningKey.generate("ES256")));

  List<String> published() {
    return ring.state().published().stream().map(JWK::getKeyID).toList();
  }

  void tickAfter(Duration d) {
    clock.advance(d);
    Await.result(ring.tick());
  }

  @Test
  void theNextKeyIsPublishedAheadSignsLaterAndTheOldOneStaysUntilItsTokensExpired() {
    assertThat(ring.signingKey()).isNull();
    tickAfter(Duration.ZERO);
    String first = ring.signingKey().keyId();
    assertThat(published()).containsExactly(first);

    tickAfter(ROTATE.minus(AHEAD).minusSeconds(1));
    assertThat(published()).as("not yet time to publish the next key").containsExactly(first);

    tickAfter(Duration.ofSeconds(1));
    String next = ring.state().next().key().keyId();
    assertThat(published()).containsExactly(next, first);
    assertThat(ring.signingKey().keyId()).as("published, not signing").isEqualTo(first);

    tickAfter(AHEAD.minusSeconds(1));
    assertThat(ring.signingKey().keyId()).isEqualTo(first);

    tickAfter(Duration.ofSeconds(1));
    assertThat(ring.signingKey().keyId()).isEqualTo(next);
    assertThat(published()).as("the retired key stays published").containsExactly(next, first);

    tickAfter(OVERLAP.minusSeconds(1));
    assertThat(published()).containsExactly(next, first);

    tickAfter(Duration.ofSeconds(1));
    assertThat(published()).as("every token the retired key signed has expired").containsExactly(next);
  }

  @Test
  void aLateTickStillPublishesTheNextKeyAheadBeforeItSigns() {
    tickAfter(Duration.ZERO);
    String first = ring.signingKey().keyId();

    tickAfter(ROTATE.multipliedBy(3));
    assertThat(ring.signingKey().keyId()).as("overdue, but the next key was only just published").isEqualTo(first);
    assertThat(published()).hasSize(2);

    tickAfter(AHEAD.minusSeconds(1));
    assertThat(ring.signingKey().keyId()).isEqualTo(first);
    tickAfter(Duration.ofSeconds(1));
    assertThat(ring.signingKey().keyId()).isNotEqualTo(first);
  }
}
