package dev.tollgate.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so expiry and rate limits are asserted without sleeping. */
public final class TestClock extends Clock {
  private volatile Instant now;

  private TestClock(Instant now) {
    this.now = now;
  }

  public static TestClock atSystemTime() {
    return new TestClock(Instant.now());
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
