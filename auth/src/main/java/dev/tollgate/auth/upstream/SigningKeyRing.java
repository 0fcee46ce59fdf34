package dev.tollgate.auth.upstream;

import com.nimbusds.jose.jwk.JWK;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.IdentityConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The keys of one minting algorithm through their lives: <em>next</em> (published, not signing),
 * <em>active</em> (published, signing) and <em>retired</em> (published until every token it signed
 * has expired). A next key signs only after it was published for {@code publish_ahead}, so a
 * verifier that caches the key set has it before the first token it signs. Thread-safe; every
 * transition is decided by the clock in {@link #tick}.
 */
final class SigningKeyRing {
  private final IdentityConfig identity;
  private final Clock clock;
  private final Supplier<Future<SigningKey>> generator;
  /** A retired key may have signed a token just before retiring; it lives this long after. */
  private final Duration overlap;
  private final SingleFlight<SigningKey> generating = new SingleFlight<>();
  private volatile State state = new State(null, null, List.of());

  /** When a key was published, started signing (null while next) and retired (null until then). */
  record Entry(SigningKey key, Instant publishedAt, Instant activeFrom, Instant retiredAt) {}

  /** An immutable view of the ring; replaced as a whole on every change. */
  record State(Entry active, Entry next, List<Entry> retired) {
    List<JWK> published() {
      List<JWK> keys = new ArrayList<>();
      if (next != null) {
        keys.add(next.key().publicJwk());
      }
      if (active != null) {
        keys.add(active.key().publicJwk());
      }
      retired.forEach(e -> keys.add(e.key().publicJwk()));
      return keys;
    }
  }

  /** @param generator makes a new key off the event loop */
  SigningKeyRing(IdentityConfig identity, Clock clock, Supplier<Future<SigningKey>> generator) {
    this.identity = identity;
    this.clock = clock;
    this.generator = generator;
    this.overlap = CredentialConfig.MAX_MINTED_TTL.plus(identity.clockSkew());
  }

  /** The key that signs now, or null before the first one is generated. */
  SigningKey signingKey() {
    Entry active = state.active();
    return active == null ? null : active.key();
  }

  State state() {
    return state;
  }

  /**
   * Moves the ring forward to the clock's now: generates the first key, publishes the next one
   * {@code publish_ahead} before rotation, promotes it once it was published that long and the
   * active key has signed for {@code rotate_every}, and drops retired keys after the overlap.
   * Completes when any key generation it started has finished.
   */
  Future<Void> tick() {
    Instant now = clock.instant();
    dropExpired(now);
    State s = state;
    if (s.active() == null || (s.next() == null && !now.isBefore(rotationAt(s).minus(identity.publishAhead())))) {
      return generate().mapEmpty();
    }
    if (s.next() != null && !now.isBefore(s.next().publishedAt().plus(identity.publishAhead()))
        && !now.isBefore(rotationAt(s))) {
      promote(now);
    }
    return Future.succeededFuture();
  }

  private Instant rotationAt(State s) {
    return s.active().activeFrom().plus(identity.rotateEvery());
  }

  private Future<SigningKey> generate() {
    return generating.join(generator, ar -> {
      if (ar.succeeded()) {
        install(ar.result());
      }
    });
  }

  /** The first key signs at once (there is no earlier key set to be ahead of); later ones wait as next. */
  private synchronized void install(SigningKey key) {
    Instant now = clock.instant();
    State s = state;
    if (s.active() == null) {
      state = new State(new Entry(key, now, now, null), s.next(), s.retired());
    } else if (s.next() == null) {
      state = new State(s.active(), new Entry(key, now, null, null), s.retired());
    }
  }

  private synchronized void promote(Instant now) {
    State s = state;
    List<Entry> retired = new ArrayList<>(s.retired());
    Entry old = s.active();
    retired.add(new Entry(old.key(), old.publishedAt(), old.activeFrom(), now));
    Entry next = s.next();
    state = new State(new Entry(next.key(), next.publishedAt(), now, null), null, List.copyOf(retired));
  }

  private synchronized void dropExpired(Instant now) {
    State s = state;
    List<Entry> kept = s.retired().stream().filter(e -> now.isBefore(e.retiredAt().plus(overlap))).toList();
    if (kept.size() != s.retired().size()) {
      state = new State(s.active(), s.next(), kept);
    }
  }
}
