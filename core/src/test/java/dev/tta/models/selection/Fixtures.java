package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.DurationStats;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.TimeWindow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Models, measurements and hardware for selection tests. */
final class Fixtures {

  static final long GIB = 1024L * 1024 * 1024;

  private Fixtures() {}

  /** A model on OpenRouter, remote; context 4096, zero cost (not free), unknown scores. */
  static ModelInfo.Builder remote(String id) {
    return ModelInfo.builder(ProviderId.of("openrouter"), ProviderType.OPENROUTER, id);
  }

  /** A model on Ollama, local; context 4096, zero cost (not free), unknown scores. */
  static ModelInfo.Builder local(String id) {
    return ModelInfo.builder(ProviderId.of("ollama"), ProviderType.OLLAMA, id);
  }

  static HardwareProfile hardware(long availableBytes) {
    return new HardwareProfile(Math.max(availableBytes, 1), availableBytes, 8, List.of(), 0);
  }

  static DurationStats durations(long count, double p50Ms) {
    return new DurationStats(count, p50Ms, p50Ms, p50Ms, p50Ms, p50Ms, p50Ms);
  }

  /**
   * Measurements of a model over one hour.
   *
   * @param latencyP50Ms p50 latency of the successful calls (ignored when there are none)
   * @param firstTokenCount how many of them were streamed and measured a first token
   * @param firstTokenP50Ms their p50 time to first token
   */
  static ModelStats stats(
      long calls,
      long successes,
      double latencyP50Ms,
      long firstTokenCount,
      double firstTokenP50Ms,
      OptionalDouble qualityMean) {
    return new ModelStats(
        TimeWindow.ONE_HOUR,
        calls,
        successes,
        successes == 0 ? DurationStats.EMPTY : durations(successes, latencyP50Ms),
        firstTokenCount == 0 ? DurationStats.EMPTY : durations(firstTokenCount, firstTokenP50Ms),
        0,
        0,
        0,
        0,
        0,
        qualityMean,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Map.of());
  }

  /** Successful, non-streamed calls only, without quality. */
  static ModelStats stats(long calls, long successes, double latencyP50Ms) {
    return stats(calls, successes, latencyP50Ms, 0, 0, OptionalDouble.empty());
  }

  static SelectionSnapshot measured(ModelInfo model, ModelStats stats) {
    return new SelectionSnapshot(Map.of(model.key(), stats), Optional.empty(), Map.of());
  }

  static SelectionSnapshot withHardware(HardwareProfile hardware) {
    return new SelectionSnapshot(Map.of(), Optional.of(hardware), Map.of());
  }
}
