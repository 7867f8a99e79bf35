package dev.tta.models.monitoring;

import java.time.Instant;
import java.util.Optional;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * One window of one series: a ring of time buckets, bucket {@code e} (its epoch, the bucket's start
 * divided by the width) held in slot {@code e mod size}. Buckets are made on their first call and
 * dropped when they leave the window. Beside the buckets, the ring keeps the merge of its live
 * buckets' histograms, adding each value as it is recorded and subtracting a bucket's histograms
 * when the bucket expires, so that reading percentiles never merges buckets. Not thread-safe; its
 * {@link Series} locks.
 */
final class Ring {
  private final long widthMillis;
  private final Bucket[] buckets;
  private final DurationHistograms histograms;
  private long currentEpoch;
  private int liveBuckets;
  private Histogram latency;
  private Histogram timeToFirstToken;
  private Optional<ModelStats> stats;

  Ring(TimeWindow window, DurationHistograms histograms, Instant now) {
    this.widthMillis = window.bucketWidth().toMillis();
    this.buckets = new Bucket[window.bucketCount()];
    this.histograms = histograms;
    this.currentEpoch = epochOf(now);
  }

  /**
   * Moves the window's end to the bucket {@code now} falls in, dropping the buckets that leave it.
   * A clock that went back moves nothing.
   */
  void advanceTo(Instant now) {
    long target = epochOf(now);
    long steps = Math.min(target - currentEpoch, buckets.length);
    for (long step = 1; step <= steps; step++) {
      int slot = slotOf(currentEpoch + step);
      Bucket expired = buckets[slot];
      if (expired != null) {
        expire(expired);
        buckets[slot] = null;
      }
    }
    currentEpoch = Math.max(currentEpoch, target);
  }

  private void expire(Bucket bucket) {
    stats = null;
    liveBuckets--;
    if (liveBuckets == 0) {
      latency = null;
      timeToFirstToken = null;
      return;
    }
    subtract(latency, bucket.latency);
    subtract(timeToFirstToken, bucket.timeToFirstToken);
  }

  private static void subtract(Histogram from, PackedHistogram expired) {
    if (expired != null) {
      from.subtract(expired);
    }
  }

  /**
   * Adds a call finished at {@code finishedAt}, in the bucket that time falls in; a call stamped
   * after the present counts in the present bucket, one stamped before the window is left out.
   *
   * @param latencyMicros the latency to add to the histograms, or {@link
   *     DurationHistograms#NO_VALUE}
   * @param timeToFirstTokenMicros likewise
   */
  void record(
      CallRecord call, Instant finishedAt, long latencyMicros, long timeToFirstTokenMicros) {
    long epoch = Math.min(epochOf(finishedAt), currentEpoch);
    if (epoch <= currentEpoch - buckets.length) {
      return;
    }
    stats = null;
    int slot = slotOf(epoch);
    Bucket bucket = buckets[slot];
    if (bucket == null) {
      bucket = new Bucket();
      buckets[slot] = bucket;
      liveBuckets++;
    }
    bucket.tally.add(call);
    if (latencyMicros != DurationHistograms.NO_VALUE) {
      bucket.latency = recordInto(bucket.latency, latencyMicros);
      latency = recordInto(latency, latencyMicros);
    }
    if (timeToFirstTokenMicros != DurationHistograms.NO_VALUE) {
      bucket.timeToFirstToken = recordInto(bucket.timeToFirstToken, timeToFirstTokenMicros);
      timeToFirstToken = recordInto(timeToFirstToken, timeToFirstTokenMicros);
    }
  }

  private PackedHistogram recordInto(PackedHistogram histogram, long micros) {
    PackedHistogram target = histogram == null ? histograms.newBucketHistogram() : histogram;
    target.recordValue(micros);
    return target;
  }

  private Histogram recordInto(Histogram histogram, long micros) {
    Histogram target = histogram == null ? histograms.newWindowHistogram() : histogram;
    target.recordValue(micros);
    return target;
  }

  /**
   * The window's stats, empty when no call is in it; computed on the first read after a change and
   * kept until the next call or expiry.
   */
  Optional<ModelStats> stats(TimeWindow window) {
    if (stats == null) {
      Tally merged = tally();
      stats =
          merged.calls() == 0
              ? Optional.empty()
              : Optional.of(
                  merged.toStats(
                      window,
                      DurationHistograms.stats(latency),
                      DurationHistograms.stats(timeToFirstToken)));
    }
    return stats;
  }

  /** The live buckets' counters, merged. */
  Tally tally() {
    Tally merged = new Tally();
    for (Bucket bucket : buckets) {
      if (bucket != null) {
        merged.addAll(bucket.tally);
      }
    }
    return merged;
  }

  /** The live buckets' latencies; null when none was recorded. */
  AbstractHistogram latency() {
    return latency;
  }

  /** The live buckets' times to first token; null when none was recorded. */
  AbstractHistogram timeToFirstToken() {
    return timeToFirstToken;
  }

  /** Bytes the histograms take, as HdrHistogram estimates them. */
  long histogramFootprintBytes() {
    long bytes = footprint(latency) + footprint(timeToFirstToken);
    for (Bucket bucket : buckets) {
      if (bucket != null) {
        bytes += footprint(bucket.latency) + footprint(bucket.timeToFirstToken);
      }
    }
    return bytes;
  }

  private static long footprint(AbstractHistogram histogram) {
    return histogram == null ? 0 : histogram.getEstimatedFootprintInBytes();
  }

  private long epochOf(Instant instant) {
    return Math.floorDiv(instant.toEpochMilli(), widthMillis);
  }

  private int slotOf(long epoch) {
    return (int) Math.floorMod(epoch, (long) buckets.length);
  }

  private static final class Bucket {
    final Tally tally = new Tally();
    PackedHistogram latency;
    PackedHistogram timeToFirstToken;
  }
}
