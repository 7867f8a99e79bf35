package dev.tta.models.time;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The only way decision logic reads time: wall-clock instants for records and windows, and a
 * monotonic nanosecond ticker for durations. Injected everywhere so that tests advance time by hand
 * instead of sleeping.
 */
public interface TimeSource extends InstantSource {

  /** Monotonic nanoseconds, meaningful only as differences (like {@link System#nanoTime()}). */
  long nanoTime();

  /** The system clock and {@link System#nanoTime()}. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}

enum SystemTimeSource implements TimeSource {
  INSTANCE;

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
