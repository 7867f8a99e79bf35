package dev.tta.models.monitoring;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Makes the duration histograms of one monitor and reads them. Values are microseconds from 1 to
 * the configured highest trackable duration, at {@link PerformanceMonitor#SIGNIFICANT_DIGITS}
 * significant digits. Buckets use HdrHistogram's packed kind, whose memory grows with the number of
 * distinct values recorded, up to the size of a plain histogram of the same range, so that a bucket
 * that saw a handful of calls costs a few hundred bytes instead of 172 KB.
 */
final class DurationHistograms {
  static final long NO_VALUE = -1;

  private static final long LOWEST_DISCERNIBLE_MICROS = 1;
  private static final double MICROS_PER_MILLI = 1000.0;

  private final Duration highest;
  private final long highestMicros;
  private final LongAdder clamped = new LongAdder();
  private final Counter clampedMeter;

  DurationHistograms(Duration highestTrackableDuration, Counter clampedMeter) {
    this.highest = highestTrackableDuration;
    this.highestMicros = toMicros(highestTrackableDuration);
    this.clampedMeter = clampedMeter;
  }

  /** For a bucket: memory grows with the distinct values recorded. */
  PackedHistogram newBucketHistogram() {
    return new PackedHistogram(
        LOWEST_DISCERNIBLE_MICROS, highestMicros, PerformanceMonitor.SIGNIFICANT_DIGITS);
  }

  /** For a window's merge: a fixed array, fast to add to, subtract from and read. */
  Histogram newWindowHistogram() {
    return new Histogram(
        LOWEST_DISCERNIBLE_MICROS, highestMicros, PerformanceMonitor.SIGNIFICANT_DIGITS);
  }

  /** Microseconds, a duration above the highest trackable one recorded as that one and counted. */
  long micros(Duration duration) {
    if (duration.compareTo(highest) > 0) {
      clamped.increment();
      clampedMeter.increment();
      return highestMicros;
    }
    return toMicros(duration);
  }

  long clampedValues() {
    return clamped.sum();
  }

  /**
   * {@link DurationStats#EMPTY} for a missing histogram; an empty one reads as all zeros, which is
   * the same.
   */
  static DurationStats stats(AbstractHistogram histogram) {
    if (histogram == null) {
      return DurationStats.EMPTY;
    }
    return new DurationStats(
        histogram.getTotalCount(),
        millis(histogram.getMinValue()),
        histogram.getMean() / MICROS_PER_MILLI,
        millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(95)),
        millis(histogram.getValueAtPercentile(99)),
        millis(histogram.getMaxValue()));
  }

  private static double millis(long micros) {
    return micros / MICROS_PER_MILLI;
  }

  private static long toMicros(Duration duration) {
    return duration.toNanos() / 1000;
  }
}
