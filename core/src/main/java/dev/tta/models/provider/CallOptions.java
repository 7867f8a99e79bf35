package dev.tta.models.provider;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/**
 * Per-call settings a provider must honour.
 *
 * @param timeout the longest the call may take in all (for a stream: until the first chunk and
 *     between chunks at most this long); the router passes what is left of its deadline
 */
public record CallOptions(Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public CallOptions {
    Checks.notNull(timeout, "timeout");
    Checks.require(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be positive");
  }

  public static CallOptions defaults() {
    return new CallOptions(DEFAULT_TIMEOUT);
  }

  public static CallOptions withTimeout(Duration timeout) {
    return new CallOptions(timeout);
  }
}
