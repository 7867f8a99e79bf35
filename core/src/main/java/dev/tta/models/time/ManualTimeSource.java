package dev.tta.models.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Its instant and its ticker advance together; as a {@link
 * Sleeper} it advances itself instead of blocking, so code that backs off can be tested without
 * waiting; as {@link Alarms} it runs an alarm on the thread that advances it past the alarm's time,
 * so a watchdog fires exactly when a test says. Safe to share between threads.
 */
public final class ManualTimeSource implements TimeSource, Sleeper, Alarms {

  /**
   * Where the ticker starts. Not zero, as {@link System#nanoTime()}'s origin is arbitrary: code
   * that used a tick where it meant a difference of ticks would pass its tests with a zero origin.
   */
  public static final long TICKER_ORIGIN = 1_000_000_000_000L;

  private final long epochNanosAtStart;
  private final AtomicLong elapsedNanos = new AtomicLong();
  private final AtomicLong alarmsSet = new AtomicLong();
  private final ConcurrentSkipListMap<Due, Runnable> pending = new ConcurrentSkipListMap<>();

  /** When an alarm is due; the sequence keeps alarms due at the same tick in the order set. */
  private record Due(long elapsedNanos, long sequence) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(elapsedNanos, other.elapsedNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

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
    long now = elapsedNanos.addAndGet(duration.toNanos());
    for (Map.Entry<Due, Runnable> due = pending.firstEntry();
        due != null && due.getKey().elapsedNanos() <= now;
        due = pending.firstEntry()) {
      if (pending.remove(due.getKey()) != null) {
        due.getValue().run();
      }
    }
  }

  /** Alarms set and neither fired nor cancelled yet. */
  public int pendingAlarms() {
    return pending.size();
  }

  @Override
  public Alarm set(Duration after, Runnable action) {
    Objects.requireNonNull(action, "action");
    long delay =
        after.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) >= 0
            ? Long.MAX_VALUE / 2
            : Math.max(0, after.toNanos());
    Due due = new Due(elapsedNanos.get() + delay, alarmsSet.incrementAndGet());
    pending.put(due, action);
    return () -> pending.remove(due);
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
