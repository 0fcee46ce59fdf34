package dev.tollgate.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so expiry and rate limits are asserted without sleeping. */
final class TestClock extends Clock {
  private volatile Instant now;

  private TestClock(Instant now) {
    this.now = now;
  }

  static TestClock atSystemTime() {
    return new TestClock(Instant.now());
  }

  void set(Instant instant) {
    now = instant;
  }

  void advance(Duration duration) {
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
