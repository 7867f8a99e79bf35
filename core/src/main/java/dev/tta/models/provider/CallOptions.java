package dev.tta.models.provider;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/**
 * Per-call settings a provider must honour.
 *
 * @param timeout the longest the call may take in all; for a stream, until its first chunk
 * @param idleTimeout for a stream, the longest wait for each next chunk after the first; the
 *     router's own watchdog bounds the gaps between chunks with output, so this is the provider's
 *     backstop against a connection that went silent
 */
public record CallOptions(Duration timeout, Duration idleTimeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public CallOptions {
    positive(timeout, "timeout");
    positive(idleTimeout, "idle_timeout");
  }

  public static CallOptions defaults() {
    return new CallOptions(DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
  }

  /** The same limit for the whole call, or a stream's first chunk, and each next chunk. */
  public static CallOptions withTimeout(Duration timeout) {
    return new CallOptions(timeout, timeout);
  }

  /** A stream's limits: until its first chunk, then for each next one. */
  public static CallOptions forStream(Duration firstChunk, Duration idle) {
    return new CallOptions(firstChunk, idle);
  }

  private static void positive(Duration value, String field) {
    Checks.notNull(value, field);
    Checks.require(!value.isNegative() && !value.isZero(), field, "must be positive");
  }
}
