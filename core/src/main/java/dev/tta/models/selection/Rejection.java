package dev.tta.models.selection;

import static dev.tta.models.selection.Format.number;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.monitoring.ModelStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A dropped model as the selector records it: the numbers only. {@link #toDroppedModel()} writes
 * the detail text.
 */
final class Rejection {

  private final ModelInfo model;
  private final DropRule rule;
  private final double value;
  private final double limit;
  private final String reason;
  private final Set<String> required;
  private final ModelStats stats;
  private final boolean measured;

  private Rejection(
      ModelInfo model,
      DropRule rule,
      double value,
      double limit,
      String reason,
      Set<String> required,
      ModelStats stats,
      boolean measured) {
    this.model = model;
    this.rule = rule;
    this.value = value;
    this.limit = limit;
    this.reason = reason;
    this.required = required;
    this.stats = stats;
    this.measured = measured;
  }

  static Rejection unavailable(ModelInfo model, String reason) {
    return new Rejection(model, DropRule.UNAVAILABLE, 0, 0, reason, null, null, false);
  }

  static Rejection latency(
      ModelInfo model, double estimateMs, long maxMs, ModelStats stats, boolean measured) {
    return new Rejection(model, DropRule.LATENCY, estimateMs, maxMs, null, null, stats, measured);
  }

  static Rejection capabilities(ModelInfo model, Set<String> required) {
    return new Rejection(model, DropRule.CAPABILITIES, 0, 0, null, required, null, false);
  }

  /** A rule whose detail names a value and the limit it broke; NaN for an unknown value. */
  static Rejection of(ModelInfo model, DropRule rule, double value, double limit) {
    return new Rejection(model, rule, value, limit, null, null, null, false);
  }

  DroppedModel toDroppedModel() {
    return new DroppedModel(model, rule, detail());
  }

  private String detail() {
    return switch (rule) {
      case UNAVAILABLE -> reason;
      case LATENCY ->
          "estimated latency "
              + number(value)
              + " ms > max "
              + number(limit)
              + " ms ("
              + latencySource()
              + ")";
      case COST -> "effective cost " + number(value) + " > max " + number(limit);
      case QUALITY ->
          (model.performanceScore().isPresent() ? "performance " : "performance unknown, default ")
              + number(value)
              + " < min "
              + number(limit);
      case SAFETY ->
          Double.isNaN(value)
              ? "therapeutic safety unknown on a local provider ("
                  + model.providerType()
                  + "); unknown safety is accepted only from remote providers"
              : "therapeutic safety " + number(value) + " < min " + number(limit);
      case CONTEXT -> "context length " + (long) value + " < needed " + (long) limit + " tokens";
      case CAPABILITIES -> "missing " + String.join(", ", missing());
      case HARDWARE ->
          "needs " + Format.bytes((long) value) + " > available " + Format.bytes((long) limit);
    };
  }

  private String latencySource() {
    String locality = model.local() ? "local" : "remote";
    if (measured) {
      return "measured p50 over " + stats.successes() + " successful calls";
    }
    if (stats == null) {
      return "no measurements, " + locality + " default";
    }
    return stats.successes() + " successful calls, too few, " + locality + " default";
  }

  private List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (String capability : required) {
      if (!model.hasCapability(capability)) {
        missing.add(capability);
      }
    }
    return missing;
  }
}
