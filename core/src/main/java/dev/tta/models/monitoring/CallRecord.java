package dev.tta.models.monitoring;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The measurements of one provider call (one attempt, not one routed request).
 *
 * @param model the deployment called
 * @param task the task the request was for
 * @param finishedAt when the call ended
 * @param latency from sending the request to the end of the answer (or the failure)
 * @param timeToFirstToken for streams, until the first chunk with output; empty otherwise
 * @param promptTokens tokens read
 * @param completionTokens tokens generated
 * @param costUsd what the call cost (reported by the provider, or computed from prices)
 * @param error empty for a success, the class of the failure otherwise
 * @param qualityScore a 0-10 quality rating, where a caller supplies one
 * @param safetyScore a 0-10 therapeutic safety rating, where a caller supplies one
 * @param memoryBytes memory the model used, where known
 * @param cpuPercent CPU use during the call, where known
 * @param gpuPercent GPU use during the call, where known
 */
public record CallRecord(
    ModelKey model,
    TaskType task,
    Instant finishedAt,
    Duration latency,
    Optional<Duration> timeToFirstToken,
    int promptTokens,
    int completionTokens,
    double costUsd,
    Optional<ErrorClass> error,
    OptionalDouble qualityScore,
    OptionalDouble safetyScore,
    OptionalLong memoryBytes,
    OptionalDouble cpuPercent,
    OptionalDouble gpuPercent) {

  public CallRecord {
    Checks.notNull(model, "model");
    Checks.notNull(task, "task");
    Checks.notNull(finishedAt, "finished_at");
    Checks.notNull(latency, "latency");
    Checks.require(!latency.isNegative(), "latency", "must not be negative, was " + latency);
    Checks.notNull(timeToFirstToken, "time_to_first_token");
    timeToFirstToken.ifPresent(
        ttft ->
            Checks.require(
                !ttft.isNegative() && ttft.compareTo(latency) <= 0,
                "time_to_first_token",
                "must be between 0 and the latency, was " + ttft));
    Checks.notNegative(promptTokens, "prompt_tokens");
    Checks.notNegative(completionTokens, "completion_tokens");
    Checks.notNegative(costUsd, "cost_usd");
    Checks.notNull(error, "error");
    Checks.inRange(qualityScore, 0, 10, "quality_score");
    Checks.inRange(safetyScore, 0, 10, "safety_score");
    Checks.notNull(memoryBytes, "memory_bytes");
    Checks.inRange(cpuPercent, 0, 100, "cpu_percent");
    Checks.inRange(gpuPercent, 0, 100, "gpu_percent");
  }

  /** A successful call with only the required measurements; the optional ones empty. */
  public static CallRecord success(
      ModelKey model,
      TaskType task,
      Instant finishedAt,
      Duration latency,
      Optional<Duration> timeToFirstToken,
      int promptTokens,
      int completionTokens,
      double costUsd) {
    return new CallRecord(
        model,
        task,
        finishedAt,
        latency,
        timeToFirstToken,
        promptTokens,
        completionTokens,
        costUsd,
        Optional.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalLong.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  /** A failed call. */
  public static CallRecord failure(
      ModelKey model, TaskType task, Instant finishedAt, Duration latency, ErrorClass error) {
    return new CallRecord(
        model,
        task,
        finishedAt,
        latency,
        Optional.empty(),
        0,
        0,
        0,
        Optional.of(error),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalLong.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  public boolean succeeded() {
    return error.isEmpty();
  }

  /**
   * Completion tokens per second of generation time: the latency less the time to first token when
   * there is one (prompt processing is not generation). Empty when nothing was generated or no
   * generation time elapsed.
   */
  public OptionalDouble tokensPerSecond() {
    Duration generation = timeToFirstToken.map(latency::minus).orElse(latency);
    if (completionTokens == 0 || generation.isZero()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(completionTokens / (generation.toNanos() / 1e9));
  }
}
