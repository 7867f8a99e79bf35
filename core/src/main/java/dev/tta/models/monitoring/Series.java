package dev.tta.models.monitoring;

import dev.tta.models.catalog.TaskType;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The measurements of one model (or of all models together): a {@link Ring} per window, and the
 * model's meters. One lock guards them all, held for the few counter and histogram updates of a
 * call, or for one read.
 */
final class Series {
  private final ReentrantLock lock = new ReentrantLock();
  private final EnumMap<TimeWindow, Ring> rings = new EnumMap<>(TimeWindow.class);
  private final EnumMap<TimeWindow, CachedStats> cache = new EnumMap<>(TimeWindow.class);
  private final ModelMeters meters;
  private volatile long lastRecorded;
  private boolean evicted;

  /**
   * @param meters where each call is also counted, or null for the system series, which has no
   *     meters of its own
   */
  Series(DurationHistograms histograms, ModelMeters meters, Instant now, long recordedSequence) {
    this.meters = meters;
    this.lastRecorded = recordedSequence;
    for (TimeWindow window : TimeWindow.values()) {
      rings.put(window, new Ring(window, histograms, now));
    }
  }

  /**
   * @param recordedSequence a number that grows with every call recorded, for eviction order
   */
  void record(
      CallRecord call,
      long latencyMicros,
      long timeToFirstTokenMicros,
      Instant now,
      long recordedSequence) {
    lock.lock();
    try {
      if (evicted) {
        return;
      }
      lastRecorded = recordedSequence;
      for (Ring ring : rings.values()) {
        ring.advanceTo(now);
        ring.record(call, call.finishedAt(), latencyMicros, timeToFirstTokenMicros);
      }
      if (meters != null) {
        meters.record(call);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number of the latest call recorded. */
  long lastRecorded() {
    return lastRecorded;
  }

  /** Stops recording and removes the meters; what was measured is gone with the series. */
  void evict() {
    lock.lock();
    try {
      evicted = true;
      if (meters != null) {
        meters.remove();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Empty when no call is in the window. */
  Optional<ModelStats> stats(TimeWindow window, Instant now) {
    lock.lock();
    try {
      Ring ring = rings.get(window);
      ring.advanceTo(now);
      CachedStats cached = cache.get(window);
      if (cached == null || cached.version() != ring.version()) {
        cached = new CachedStats(ring.version(), computeStats(window, ring));
        cache.put(window, cached);
      }
      return cached.stats();
    } finally {
      lock.unlock();
    }
  }

  private static Optional<ModelStats> computeStats(TimeWindow window, Ring ring) {
    Tally tally = ring.tally();
    if (tally.calls() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        tally.toStats(
            window,
            DurationHistograms.stats(ring.latency()),
            DurationHistograms.stats(ring.timeToFirstToken())));
  }

  Map<TaskType, Long> callsByTask(TimeWindow window, Instant now) {
    lock.lock();
    try {
      Ring ring = rings.get(window);
      ring.advanceTo(now);
      return ring.tally().callsByTask();
    } finally {
      lock.unlock();
    }
  }

  /** Adds this series' window to a merge of several. */
  void addTo(StatsMerge merge, TimeWindow window, Instant now) {
    lock.lock();
    try {
      Ring ring = rings.get(window);
      ring.advanceTo(now);
      merge.add(ring.tally(), ring.latency(), ring.timeToFirstToken());
    } finally {
      lock.unlock();
    }
  }

  long histogramFootprintBytes(Instant now) {
    lock.lock();
    try {
      long bytes = 0;
      for (Ring ring : rings.values()) {
        ring.advanceTo(now);
        bytes += ring.histogramFootprintBytes();
      }
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  private record CachedStats(long version, Optional<ModelStats> stats) {}
}
