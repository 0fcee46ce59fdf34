package dev.tollgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Tokens that already passed every check, so a steady sender costs one signature check per token
 * rather than one per request. Each entry lives until its token's {@code exp}, measured by the same
 * clock as verification; an entry past {@code exp} is never returned.
 *
 * <p>Keys are SHA-256 digests of the whole compact token, signature included: the heap then holds
 * 32 bytes per token instead of a bearer credential that could be replayed from a heap dump, and a
 * token with the same payload but another signature can never hit an entry. ({@link TokenDigest}
 * keeps the last token each thread hashed, to skip hashing it again.)
 *
 * <p>A key later removed from the issuer's JWKS does not evict the tokens it signed: they stay valid
 * until their {@code exp}, as they would at any verifier that checked them once. A configuration
 * reload builds a new verifier and so a new, empty cache.
 */
final class VerifiedTokenCache {
  private final Cache<TokenDigest, Caller> cache;
  private final Clock clock;
  private final boolean enabled;

  /** {@code maxEntries} 0 disables caching (Caffeine would still hold entries until its async eviction). */
  VerifiedTokenCache(long maxEntries, Clock clock) {
    this.clock = clock;
    this.enabled = maxEntries > 0;
    this.cache = Caffeine.newBuilder()
        // Maintenance (draining the read buffers, evicting) runs on the thread that triggers it, an
        // event loop, a little at a time: handing it to ForkJoinPool.commonPool woke a thread on
        // the proxy's core thousands of times a second (2% of the core, and a context switch each).
        .executor(Runnable::run)
        .maximumSize(Math.max(0, maxEntries))
        // Caffeine expires by its ticker; driving it from the verification clock keeps both in step.
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .expireAfter(Expiry.<TokenDigest, Caller>creating(
            (digest, caller) -> Duration.between(clock.instant(), caller.expiresAt())))
        .build();
  }

  /** The caller a token proved earlier, or null when not cached or expired by now. */
  Caller get(TokenDigest digest) {
    if (!enabled) {
      return null;
    }
    Caller caller = cache.getIfPresent(digest);
    if (caller != null && !clock.instant().isBefore(caller.expiresAt())) {
      cache.invalidate(digest);
      return null;
    }
    return caller;
  }

  /** Remembers a verified caller until its token expires; a token already past exp is not kept. */
  void put(TokenDigest digest, Caller caller) {
    if (enabled && clock.instant().isBefore(caller.expiresAt())) {
      cache.put(digest, caller);
    }
  }

  /** SHA-256 of a compact token: identifies it in the cache without the cache holding it. */
  record TokenDigest(long a, long b, long c, long d) {
    // A hasher per thread (looking the algorithm up for every request costs more than hashing),
    // with the token that thread hashed last.
    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    /**
     * The digest of {@code token}. A thread that is handed the token it hashed last (a sender
     * repeating its token on a keep-alive connection) gets that digest again without hashing: the
     * token is compared whole, so only the very same token matches. The comparison is not
     * constant-time; it could only tell a prober how many leading 8-byte words of its own token
     * match the last token seen, and guessing one word of a signature is 2^48 tries.
     */
    static TokenDigest of(String token) {
      Last last = LAST.get();
      if (token.equals(last.token)) {
        return last.digest;
      }
      ByteBuffer hash = ByteBuffer.wrap(last.sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
      TokenDigest digest = new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
      last.token = token;
      last.digest = digest;
      return digest;
    }

    /**
     * A thread's hasher and the token it hashed last, held until that thread hashes another (an
     * idle event loop holds its last one until its next request). These are the only tokens the
     * verifier holds, one per thread that verifies; Netty's pooled buffers keep recent request
     * bytes the same way until they are reused. The cache holds digests only.
     */
    private static final class Last {
      final MessageDigest sha256 = sha256();
      String token;
      TokenDigest digest;
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }

    @Override
    public String toString() {
      return "TokenDigest[" + Long.toHexString(a) + "...]";
    }
  }
}
