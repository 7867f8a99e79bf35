package dev.tta.models.monitoring;

import java.util.OptionalDouble;

/** A running mean of optional values: a sum and a count, so that means merge exactly. */
final class Mean {
  private double sum;
  private long count;

  void add(OptionalDouble value) {
    value.ifPresent(this::add);
  }

  void add(double value) {
    sum += value;
    count++;
  }

  void addAll(Mean other) {
    sum += other.sum;
    count += other.count;
  }

  /** Empty when no value was added. */
  OptionalDouble value() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
  }
}
