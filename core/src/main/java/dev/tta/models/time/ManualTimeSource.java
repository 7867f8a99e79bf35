package dev.tta.models.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Its instant and its ticker advance together, and as a
 * {@link Sleeper} it advances itself instead of blocking, so code that backs off can be tested
 * without waiting. Safe to share between threads.
 */
public final class ManualTimeSource implements TimeSource, Sleeper {

  /**
   * Where the ticker starts. Not zero, as {@link System#nanoTime()}'s origin is arbitrary: code
   * that used a tick where it meant a difference of ticks would pass its tests with a zero origin.
   */
  public static final long TICKER_ORIGIN = 1_000_000_000_000L;

  private final long epochNanosAtStart;
  private final AtomicLong elapsedNanos = new AtomicLong();

  public ManualTimeSource(Instant start) {
    Objects.requireNonNull(start, "start");
    this.epochNanosAtStart = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  /** Starts at 2026-01-01T00:00:00Z, a fixed instant so that test output is reproducible. */
  public ManualTimeSource() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: must not be negative, was " + duration);
    }
    elapsedNanos.addAndGet(duration.toNanos());
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  @Override
  public Instant instant() {
    long nanos = epochNanosAtStart + elapsedNanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  @Override
  public long nanoTime() {
    return TICKER_ORIGIN + elapsedNanos.get();
  }

  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }
}
