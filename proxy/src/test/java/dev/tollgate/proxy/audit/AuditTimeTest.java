package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuditTimeTest {
  private static final DateTimeFormatter EXPECTED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void formatsLikeAMillisecondIsoInstantAcrossSecondsAndDays() {
    AuditTime time = new AuditTime();
    Random random = new Random(11);
    Instant t = Instant.parse("2026-12-31T23:59:58.000Z");
    for (int i = 0; i < 100_000; i++) {
      // mostly small steps (the cache is reused), sometimes jumps and steps back
      t = random.nextInt(100) == 0 ? Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000))
          : t.plusNanos(random.nextInt(3_000_000));
      String s = time.format(t);
      assertThat(s).as("%s", t).isEqualTo(EXPECTED.format(t)).hasSize(24);
      assertThat(Instant.parse(s)).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @Test
  void aWholeSecondHasZeroMillis() {
    assertThat(new AuditTime().format(Instant.parse("2026-11-21T11:20:00Z"))).isEqualTo("2026-11-21T11:20:00.000Z");
  }
}
