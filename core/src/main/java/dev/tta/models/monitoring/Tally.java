package dev.tta.models.monitoring;

import dev.tta.models.catalog.TaskType;
import dev.tta.models.provider.ErrorClass;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counters of one bucket, or of several merged: everything in {@link ModelStats} except the
 * duration histograms. Not thread-safe; its owner locks.
 */
final class Tally {
  private static final ErrorClass[] ERROR_CLASSES = ErrorClass.values();
  private static final TaskType[] TASKS = TaskType.values();

  private long calls;
  private long successes;
  private final Mean tokensPerSecond = new Mean();
  private double tokensPerSecondMax;
  private long promptTokens;
  private long completionTokens;
  private double costUsd;
  private final Mean quality = new Mean();
  private final Mean safety = new Mean();
  private final Mean memoryBytes = new Mean();
  private final Mean cpuPercent = new Mean();
  private final Mean gpuPercent = new Mean();
  private final long[] errors = new long[ERROR_CLASSES.length];
  private final long[] tasks = new long[TASKS.length];

  void add(CallRecord call) {
    calls++;
    tasks[call.task().ordinal()]++;
    call.error().ifPresent(error -> errors[error.ordinal()]++);
    if (call.succeeded()) {
      successes++;
      call.tokensPerSecond().ifPresent(this::addTokensPerSecond);
    }
    promptTokens += call.promptTokens();
    completionTokens += call.completionTokens();
    costUsd += call.costUsd();
    quality.add(call.qualityScore());
    safety.add(call.safetyScore());
    call.memoryBytes().ifPresent(memoryBytes::add);
    cpuPercent.add(call.cpuPercent());
    gpuPercent.add(call.gpuPercent());
  }

  private void addTokensPerSecond(double value) {
    tokensPerSecond.add(value);
    tokensPerSecondMax = Math.max(tokensPerSecondMax, value);
  }

  void addAll(Tally other) {
    calls += other.calls;
    successes += other.successes;
    tokensPerSecond.addAll(other.tokensPerSecond);
    tokensPerSecondMax = Math.max(tokensPerSecondMax, other.tokensPerSecondMax);
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    costUsd += other.costUsd;
    quality.addAll(other.quality);
    safety.addAll(other.safety);
    memoryBytes.addAll(other.memoryBytes);
    cpuPercent.addAll(other.cpuPercent);
    gpuPercent.addAll(other.gpuPercent);
    for (int i = 0; i < errors.length; i++) {
      errors[i] += other.errors[i];
    }
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] += other.tasks[i];
    }
  }

  long calls() {
    return calls;
  }

  /** Calls per task, tasks without calls left out. */
  Map<TaskType, Long> callsByTask() {
    return nonZero(TASKS, tasks, TaskType.class);
  }

  ModelStats toStats(TimeWindow window, DurationStats latency, DurationStats timeToFirstToken) {
    return new ModelStats(
        window,
        calls,
        successes,
        latency,
        timeToFirstToken,
        tokensPerSecond.value().orElse(0),
        tokensPerSecondMax,
        promptTokens,
        completionTokens,
        costUsd,
        quality.value(),
        safety.value(),
        memoryBytes.value(),
        cpuPercent.value(),
        gpuPercent.value(),
        nonZero(ERROR_CLASSES, errors, ErrorClass.class));
  }

  private static <K extends Enum<K>> Map<K, Long> nonZero(K[] keys, long[] counts, Class<K> type) {
    EnumMap<K, Long> result = new EnumMap<>(type);
    for (K key : keys) {
      long count = counts[key.ordinal()];
      if (count > 0) {
        result.put(key, count);
      }
    }
    return result;
  }
}
