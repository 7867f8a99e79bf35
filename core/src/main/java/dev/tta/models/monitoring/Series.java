package dev.tta.models.monitoring;

import dev.tta.models.catalog.TaskType;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The measurements of one model (or of all models together): a {@link Ring} per window, and the
 * model's meters. One lock guards them all, held for the few counter and histogram updates of a
 * call, or for one read.
 */
final class Series {
  private final ReentrantLock lock = new ReentrantLock();
  private final EnumMap<TimeWindow, Ring> rings = new EnumMap<>(TimeWindow.class);
  private final Consumer<CallRecord> recorded;
  private final Runnable evicted;
  private volatile long lastRecorded;
  private boolean closed;

  /**
   * @param recorded told of each call recorded, under the lock (the model's meters)
   * @param evicted run once on eviction, under the lock, so that no call is told after it
   */
  Series(
      DurationHistograms histograms,
      Consumer<CallRecord> recorded,
      Runnable evicted,
      Instant now,
      long recordedSequence) {
    this.recorded = recorded;
    this.evicted = evicted;
    this.lastRecorded = recordedSequence;
    for (TimeWindow window : TimeWindow.values()) {
      rings.put(window, new Ring(window, histograms, now));
    }
  }

  /**
   * @param recordedSequence a number that grows with every call recorded, for eviction order
   * @param measured whether the call is this process's own, told to the meters; false for a call
   *     restored from history
   */
  void record(
      CallRecord call,
      long latencyMicros,
      long timeToFirstTokenMicros,
      Instant now,
      long recordedSequence,
      boolean measured) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      lastRecorded = recordedSequence;
      for (Ring ring : rings.values()) {
        ring.advanceTo(now);
        ring.record(call, call.finishedAt(), latencyMicros, timeToFirstTokenMicros);
      }
      if (measured) {
        recorded.accept(call);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number of the latest call recorded. */
  long lastRecorded() {
    return lastRecorded;
  }

  /** Stops recording and runs the eviction action; what was measured is gone with the series. */
  void evict() {
    lock.lock();
    try {
      closed = true;
      evicted.run();
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
      return ring.stats(window);
    } finally {
      lock.unlock();
    }
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
}
