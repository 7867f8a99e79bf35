package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.ModelStats;

/**
 * The score terms as formulas of a configuration. The selector sums them; a candidate's term list
 * calls the same methods again when read, so the explanation can never disagree with the ranking.
 */
final class Scoring {

  private static final double HALF_SCALE = ModelInfo.MAX_SCORE / 2;

  final SelectionConfig config;

  Scoring(SelectionConfig config) {
    this.config = config;
  }

  double score(
      ModelInfo model,
      ModelRequirements requirements,
      ModelStats stats,
      HardwareProfile hardware,
      int taskMatches,
      TaskAffinity affinity) {
    return performance(model)
        + safety(model)
        + cost(model)
        + task(taskMatches)
        + affinity(affinity)
        + free(model, requirements)
        + local(model, requirements)
        + hardware(model, hardware)
        + history(stats);
  }

  double performanceInput(ModelInfo model) {
    return model.performanceScore().orElse(config.defaultPerformanceScore());
  }

  double performance(ModelInfo model) {
    return performanceInput(model) * config.performanceWeight();
  }

  double safetyInput(ModelInfo model) {
    return model.therapeuticSafetyScore().isPresent()
        ? model.therapeuticSafetyScore().getAsDouble()
        : model.local() ? config.defaultLocalSafetyScore() : config.defaultRemoteSafetyScore();
  }

  double safety(ModelInfo model) {
    return safetyInput(model) * config.safetyWeight();
  }

  /** 10 at no cost, falling linearly to 0 at the configured price per token, never below. */
  double costScore(ModelInfo model) {
    return Math.max(
        0,
        ModelInfo.MAX_SCORE
            * (1 - model.effectiveCostPerToken() / config.costScoreZeroAtPerToken()));
  }

  double cost(ModelInfo model) {
    return costScore(model) * config.costWeight();
  }

  double task(int taskMatches) {
    return taskMatches * config.taskCapabilityBonus();
  }

  double affinity(TaskAffinity affinity) {
    return affinity == null ? 0 : affinity.bonus();
  }

  double free(ModelInfo model, ModelRequirements requirements) {
    return requirements.preferFree() && model.free() ? config.freeBonus() : 0;
  }

  double local(ModelInfo model, ModelRequirements requirements) {
    return requirements.preferLocal() && model.local() ? config.localBonus() : 0;
  }

  /** Whether the hardware term applies: a local model, its memory need and the hardware known. */
  boolean hardwareKnown(ModelInfo model, HardwareProfile hardware) {
    return hardware != null && model.local() && model.estimatedMemoryBytes().isPresent();
  }

  boolean headroom(ModelInfo model, HardwareProfile hardware) {
    return hardware.availableMemoryBytes()
        >= model.estimatedMemoryBytes().getAsLong() * config.hardwareHeadroomFactor();
  }

  /**
   * The headroom bonus or, since the hardware filter has dropped a local model that does not fit at
   * all, the fit bonus; 0 when the term does not apply.
   */
  double hardware(ModelInfo model, HardwareProfile hardware) {
    if (!hardwareKnown(model, hardware)) {
      return 0;
    }
    return headroom(model, hardware) ? config.hardwareHeadroomBonus() : config.hardwareFitBonus();
  }

  boolean historyUsed(ModelStats stats) {
    return stats != null && stats.calls() >= config.historyMinSamples();
  }

  /** 1 at a 100 % success rate, 0 at the baseline, -1 as far below it (and lower rates). */
  double successPart(ModelStats stats) {
    return atLeastMinusOne(
        (stats.successRate() - config.historySuccessBaseline())
            / (1 - config.historySuccessBaseline()));
  }

  boolean latencyMeasured(ModelStats stats) {
    return stats.latency().count() > 0;
  }

  /** 1 at no latency, 0 at the target, -1 at twice the target and beyond. */
  double latencyPart(ModelStats stats) {
    return atLeastMinusOne(1 - stats.latency().p50Ms() / config.historyLatencyTargetMs());
  }

  boolean firstTokenMeasured(ModelStats stats) {
    return stats.timeToFirstToken().count() > 0;
  }

  /** 1 at no delay, 0 at the target, -1 at twice the target and beyond. */
  double firstTokenPart(ModelStats stats) {
    return atLeastMinusOne(
        1 - stats.timeToFirstToken().p50Ms() / config.historyTimeToFirstTokenTargetMs());
  }

  /** 1 at quality 10, 0 at 5, -1 at 0. */
  double qualityPart(ModelStats stats) {
    return Math.min(
        1, atLeastMinusOne((stats.qualityMean().getAsDouble() - HALF_SCALE) / HALF_SCALE));
  }

  /** The weighted sum of the parts that were measured; 0 before enough calls. */
  double history(ModelStats stats) {
    if (!historyUsed(stats)) {
      return 0;
    }
    double history = successPart(stats) * config.historySuccessWeight();
    if (latencyMeasured(stats)) {
      history += latencyPart(stats) * config.historyLatencyWeight();
    }
    if (firstTokenMeasured(stats)) {
      history += firstTokenPart(stats) * config.historyTimeToFirstTokenWeight();
    }
    if (stats.qualityMean().isPresent()) {
      history += qualityPart(stats) * config.historyQualityWeight();
    }
    return history;
  }

  private static double atLeastMinusOne(double part) {
    return Math.max(-1, part);
  }
}
