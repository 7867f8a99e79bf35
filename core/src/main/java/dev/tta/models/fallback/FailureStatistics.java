package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Failures recorded within the retention period, counted several ways. Maps and sets are sorted
 * (models and providers by name, error classes in declaration order) so that output is stable.
 *
 * @param totalFailures every failure, of any class
 * @param byModel failures per model
 * @param byProvider failures per provider
 * @param byErrorClass failures per class, request problems included
 * @param excludedModels models excluded now
 * @param providersOut providers out of service now, with their reasons
 */
public record FailureStatistics(
    long totalFailures,
    Map<ModelKey, Long> byModel,
    Map<ProviderId, Long> byProvider,
    Map<ErrorClass, Long> byErrorClass,
    Set<ModelKey> excludedModels,
    Map<ProviderId, String> providersOut) {

  public FailureStatistics {
    Checks.require(
        totalFailures >= 0, "total_failures", "must not be negative, was " + totalFailures);
    byModel = Collections.unmodifiableMap(new TreeMap<>(Checks.notNull(byModel, "by_model")));
    byProvider =
        Collections.unmodifiableMap(new TreeMap<>(Checks.notNull(byProvider, "by_provider")));
    Map<ErrorClass, Long> classes = new EnumMap<>(ErrorClass.class);
    classes.putAll(Checks.notNull(byErrorClass, "by_error_class"));
    byErrorClass = Collections.unmodifiableMap(classes);
    excludedModels =
        Collections.unmodifiableSet(
            new TreeSet<>(Checks.notNull(excludedModels, "excluded_models")));
    providersOut =
        Collections.unmodifiableMap(new TreeMap<>(Checks.notNull(providersOut, "providers_out")));
  }
}
