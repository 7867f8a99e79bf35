package dev.tta.models.monitoring;

import dev.tta.models.provider.ErrorClass;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Aggregated measurements of one model (or of the whole system) over one window.
 *
 * @param window the window these cover
 * @param calls calls recorded
 * @param successes calls that succeeded
 * @param latency latency of successful calls
 * @param timeToFirstToken time to first token of successful streamed calls
 * @param tokensPerSecondMean mean generation speed over successful calls that generated tokens
 * @param tokensPerSecondMax the fastest such call
 * @param promptTokens tokens read, all calls
 * @param completionTokens tokens generated, all calls
 * @param costUsd total cost
 * @param qualityMean mean caller-supplied quality, where any was supplied
 * @param safetyMean mean caller-supplied safety, where any was supplied
 * @param memoryBytesMean mean memory use, where supplied
 * @param cpuPercentMean mean CPU use, where supplied
 * @param gpuPercentMean mean GPU use, where supplied
 * @param errors failed calls by class
 */
public record ModelStats(
    TimeWindow window,
    long calls,
    long successes,
    DurationStats latency,
    DurationStats timeToFirstToken,
    double tokensPerSecondMean,
    double tokensPerSecondMax,
    long promptTokens,
    long completionTokens,
    double costUsd,
    OptionalDouble qualityMean,
    OptionalDouble safetyMean,
    OptionalDouble memoryBytesMean,
    OptionalDouble cpuPercentMean,
    OptionalDouble gpuPercentMean,
    Map<ErrorClass, Long> errors) {

  public ModelStats {
    errors = Map.copyOf(errors);
  }

  /** Successes over calls; 1.0 when no call was recorded (nothing has failed). */
  public double successRate() {
    return calls == 0 ? 1.0 : (double) successes / calls;
  }
}
