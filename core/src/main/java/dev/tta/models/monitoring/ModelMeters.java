package dev.tta.models.monitoring;

import static dev.tta.models.monitoring.PerformanceMonitor.COST;
import static dev.tta.models.monitoring.PerformanceMonitor.ERROR_TYPE;
import static dev.tta.models.monitoring.PerformanceMonitor.ERROR_TYPE_NONE;
import static dev.tta.models.monitoring.PerformanceMonitor.OPERATION_CHAT;
import static dev.tta.models.monitoring.PerformanceMonitor.OPERATION_DURATION;
import static dev.tta.models.monitoring.PerformanceMonitor.OPERATION_NAME;
import static dev.tta.models.monitoring.PerformanceMonitor.OUTCOME;
import static dev.tta.models.monitoring.PerformanceMonitor.OUTCOME_SUCCESS;
import static dev.tta.models.monitoring.PerformanceMonitor.PROVIDER_NAME;
import static dev.tta.models.monitoring.PerformanceMonitor.REQUEST_MODEL;
import static dev.tta.models.monitoring.PerformanceMonitor.TIME_TO_FIRST_TOKEN;
import static dev.tta.models.monitoring.PerformanceMonitor.TOKEN_TYPE;
import static dev.tta.models.monitoring.PerformanceMonitor.TOKEN_TYPE_INPUT;
import static dev.tta.models.monitoring.PerformanceMonitor.TOKEN_TYPE_OUTPUT;
import static dev.tta.models.monitoring.PerformanceMonitor.TOKEN_USAGE;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * The Micrometer meters of one model. Meters for a failure class are registered on its first
 * failure, so that a scrape shows no series of zeros for errors that never happened. Not
 * thread-safe; its {@link Series} locks.
 */
final class ModelMeters {
  private final MeterRegistry registry;
  private final Tags modelTags;
  private final Timer successDuration;
  private final Counter successCalls;
  private final Timer timeToFirstToken;
  private final DistributionSummary inputTokens;
  private final DistributionSummary outputTokens;
  private final Counter cost;
  private final EnumMap<ErrorClass, Timer> failureDurations = new EnumMap<>(ErrorClass.class);
  private final EnumMap<ErrorClass, Counter> failureCalls = new EnumMap<>(ErrorClass.class);
  private final List<Meter> registered = new ArrayList<>();

  ModelMeters(MeterRegistry registry, ModelKey model) {
    this.registry = registry;
    this.modelTags =
        Tags.of(PROVIDER_NAME, model.provider().value(), REQUEST_MODEL, model.modelId());
    this.successDuration = duration(ERROR_TYPE_NONE);
    this.successCalls = calls(OUTCOME_SUCCESS);
    this.timeToFirstToken =
        registered(
            Timer.builder(TIME_TO_FIRST_TOKEN)
                .description("Time from sending a streamed request to its first output")
                .tags(modelTags)
                .tag(OPERATION_NAME, OPERATION_CHAT)
                .register(registry));
    this.inputTokens = tokens(TOKEN_TYPE_INPUT);
    this.outputTokens = tokens(TOKEN_TYPE_OUTPUT);
    this.cost =
        registered(
            Counter.builder(COST)
                .description("What calls cost")
                .baseUnit("usd")
                .tags(modelTags)
                .register(registry));
  }

  void record(CallRecord call) {
    if (call.succeeded()) {
      successDuration.record(call.latency());
      successCalls.increment();
      call.timeToFirstToken().ifPresent(timeToFirstToken::record);
      inputTokens.record(call.promptTokens());
      outputTokens.record(call.completionTokens());
    } else {
      ErrorClass error = call.error().orElseThrow();
      failureDurations.computeIfAbsent(error, e -> duration(e.wireName())).record(call.latency());
      failureCalls.computeIfAbsent(error, e -> calls(e.wireName())).increment();
    }
    cost.increment(call.costUsd());
  }

  /** Takes every meter of this model out of the registry. */
  void remove() {
    registered.forEach(registry::remove);
  }

  private <M extends Meter> M registered(M meter) {
    registered.add(meter);
    return meter;
  }

  private Timer duration(String errorType) {
    return registered(
        Timer.builder(OPERATION_DURATION)
            .description("Duration of model calls, failed ones tagged with their error class")
            .tags(modelTags)
            .tag(OPERATION_NAME, OPERATION_CHAT)
            .tag(ERROR_TYPE, errorType)
            .register(registry));
  }

  private Counter calls(String outcome) {
    return registered(
        Counter.builder(PerformanceMonitor.CALLS)
            .description("Model calls by outcome: success or the error class")
            .tags(modelTags)
            .tag(OUTCOME, outcome)
            .register(registry));
  }

  private DistributionSummary tokens(String tokenType) {
    return registered(
        DistributionSummary.builder(TOKEN_USAGE)
            .description("Tokens per successful call, input or output")
            .baseUnit("tokens")
            .tags(modelTags)
            .tag(OPERATION_NAME, OPERATION_CHAT)
            .tag(TOKEN_TYPE, tokenType)
            .register(registry));
  }
}
