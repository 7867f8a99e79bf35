package dev.tta.models.monitoring;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/** Several series' windows added together, as for a provider's stats. */
final class StatsMerge {
  private final Tally tally = new Tally();
  private final Histogram latency;
  private final Histogram timeToFirstToken;

  StatsMerge(DurationHistograms histograms) {
    this.latency = histograms.newWindowHistogram();
    this.timeToFirstToken = histograms.newWindowHistogram();
  }

  void add(Tally other, AbstractHistogram otherLatency, AbstractHistogram otherTimeToFirstToken) {
    tally.addAll(other);
    addHistogram(latency, otherLatency);
    addHistogram(timeToFirstToken, otherTimeToFirstToken);
  }

  private static void addHistogram(Histogram into, AbstractHistogram other) {
    if (other != null) {
      into.add(other);
    }
  }

  long calls() {
    return tally.calls();
  }

  ModelStats toStats(TimeWindow window) {
    return tally.toStats(
        window, DurationHistograms.stats(latency), DurationHistograms.stats(timeToFirstToken));
  }
}
