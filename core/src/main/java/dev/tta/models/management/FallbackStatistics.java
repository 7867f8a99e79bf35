package dev.tta.models.management;

import java.util.List;
import java.util.Map;

/**
 * Failures within the failure registry's retention, and what they have taken out of service now.
 *
 * @param byErrorClass per error class wire name
 * @param openCircuits models whose circuit breaker is open now, sorted
 */
public record FallbackStatistics(
    long totalFailures,
    Map<String, Long> byModel,
    Map<String, Long> byProvider,
    Map<String, Long> byErrorClass,
    List<String> excludedModels,
    Map<String, String> providersOut,
    List<String> openCircuits) {}
