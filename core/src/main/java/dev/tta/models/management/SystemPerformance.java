package dev.tta.models.management;

import java.util.Map;

/**
 * The whole system's measurements over one window.
 *
 * @param byProvider per provider with calls in the window, sorted by name
 * @param callsByTask calls per task type wire name
 */
public record SystemPerformance(
    PerformanceReport overall,
    Map<String, PerformanceReport> byProvider,
    Map<String, Long> callsByTask) {

  public SystemPerformance {
    byProvider = Map.copyOf(byProvider);
    callsByTask = Map.copyOf(callsByTask);
  }
}
