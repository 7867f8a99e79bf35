package dev.tta.models.monitoring;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Builds call records for tests: a success of a given latency unless told otherwise. */
final class TestCalls {
  static final ModelKey MODEL_A = ModelKey.of("ollama", "llama3.2");
  static final ModelKey MODEL_B = ModelKey.of("ollama", "qwen2.5");
  static final ModelKey MODEL_C = ModelKey.of("openrouter", "meta-llama/llama-3.1-8b-instruct");

  private ModelKey model = MODEL_A;
  private TaskType task = TaskType.GENERAL_CHAT;
  private Instant finishedAt;
  private Duration latency = Duration.ofMillis(100);
  private Optional<Duration> timeToFirstToken = Optional.empty();
  private int promptTokens;
  private int completionTokens;
  private double costUsd;
  private Optional<ErrorClass> error = Optional.empty();
  private OptionalDouble quality = OptionalDouble.empty();
  private OptionalDouble safety = OptionalDouble.empty();
  private OptionalLong memory = OptionalLong.empty();
  private OptionalDouble cpu = OptionalDouble.empty();
  private OptionalDouble gpu = OptionalDouble.empty();

  private TestCalls(Instant finishedAt) {
    this.finishedAt = finishedAt;
  }

  static TestCalls at(Instant finishedAt) {
    return new TestCalls(finishedAt);
  }

  TestCalls model(ModelKey model) {
    this.model = model;
    return this;
  }

  TestCalls task(TaskType task) {
    this.task = task;
    return this;
  }

  TestCalls latencyMillis(long millis) {
    this.latency = Duration.ofMillis(millis);
    return this;
  }

  TestCalls latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  TestCalls timeToFirstTokenMillis(long millis) {
    this.timeToFirstToken = Optional.of(Duration.ofMillis(millis));
    return this;
  }

  TestCalls tokens(int prompt, int completion) {
    this.promptTokens = prompt;
    this.completionTokens = completion;
    return this;
  }

  TestCalls cost(double usd) {
    this.costUsd = usd;
    return this;
  }

  TestCalls failed(ErrorClass error) {
    this.error = Optional.of(error);
    return this;
  }

  TestCalls quality(double score) {
    this.quality = OptionalDouble.of(score);
    return this;
  }

  TestCalls safety(double score) {
    this.safety = OptionalDouble.of(score);
    return this;
  }

  TestCalls memoryBytes(long bytes) {
    this.memory = OptionalLong.of(bytes);
    return this;
  }

  TestCalls cpuPercent(double percent) {
    this.cpu = OptionalDouble.of(percent);
    return this;
  }

  TestCalls gpuPercent(double percent) {
    this.gpu = OptionalDouble.of(percent);
    return this;
  }

  CallRecord build() {
    return new CallRecord(
        model,
        task,
        finishedAt,
        latency,
        timeToFirstToken,
        promptTokens,
        completionTokens,
        costUsd,
        error,
        quality,
        safety,
        memory,
        cpu,
        gpu);
  }
}
