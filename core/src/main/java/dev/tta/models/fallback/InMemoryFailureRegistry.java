package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;

/**
 * A {@link FailureRegistry} in this process's memory. Every write to a model's records goes through
 * {@link ConcurrentMap#compute}, so that a clean-up that drops a model's last record cannot lose a
 * failure recorded at the same moment; reads iterate concurrent deques without locking.
 */
public final class InMemoryFailureRegistry implements FailureRegistry {

  private record Failure(ErrorClass error, Instant at) {}

  private static final BinaryOperator<Instant> LATER =
      BinaryOperator.maxBy(Comparator.naturalOrder());

  private final FallbackConfig config;
  private final ConcurrentMap<ModelKey, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final ConcurrentMap<ModelKey, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final ConcurrentMap<ProviderId, String> providersOut = new ConcurrentHashMap<>();

  public InMemoryFailureRegistry(FallbackConfig config) {
    this.config = Checks.notNull(config, "config");
  }

  @Override
  public void recordFailure(ModelInfo model, ErrorClass error, Instant at) {
    Failure failure = new Failure(Checks.notNull(error, "error"), Checks.notNull(at, "at"));
    failures.compute(
        model.key(),
        (key, records) -> {
          Deque<Failure> deque = records == null ? new ConcurrentLinkedDeque<>() : records;
          deque.addLast(failure);
          return deque;
        });
  }

  @Override
  public void recordSuccess(ModelKey model, Instant at) {
    lastSuccess.merge(model, Checks.notNull(at, "at"), LATER);
  }

  @Override
  public boolean isExcluded(ModelKey model, Instant now) {
    Instant windowStart = now.minus(config.exclusionWindow());
    Instant success = lastSuccess.getOrDefault(model, Instant.MIN);
    long counted =
        failures.getOrDefault(model, new ConcurrentLinkedDeque<>()).stream()
            .filter(failure -> DeploymentFaults.attributable(failure.error()))
            .filter(failure -> !failure.at().isBefore(windowStart))
            .filter(failure -> failure.at().isAfter(success))
            .count();
    return counted >= config.maxFailures();
  }

  @Override
  public Set<ModelKey> excludedModels(Instant now) {
    Set<ModelKey> excluded = new TreeSet<>();
    for (ModelKey model : failures.keySet()) {
      if (isExcluded(model, now)) {
        excluded.add(model);
      }
    }
    return Collections.unmodifiableSet(excluded);
  }

  @Override
  public void markProviderOut(ProviderId provider, String reason, Instant at) {
    Checks.notBlank(reason, "reason");
    Checks.notNull(at, "at");
    providersOut.put(Checks.notNull(provider, "provider"), reason + " (since " + at + ")");
  }

  @Override
  public Map<ProviderId, String> providersOut() {
    return Collections.unmodifiableMap(new TreeMap<>(providersOut));
  }

  @Override
  public void resetModel(ModelKey model) {
    failures.remove(model);
    lastSuccess.remove(model);
  }

  @Override
  public void resetProvider(ProviderId provider) {
    providersOut.remove(provider);
  }

  @Override
  public int cleanUp(Instant now) {
    Instant cutoff = now.minus(config.failureRetention());
    AtomicInteger dropped = new AtomicInteger();
    for (ModelKey model : failures.keySet()) {
      failures.computeIfPresent(
          model,
          (key, records) -> {
            int before = records.size();
            records.removeIf(failure -> failure.at().isBefore(cutoff));
            dropped.addAndGet(before - records.size());
            return records.isEmpty() ? null : records;
          });
    }
    lastSuccess.values().removeIf(at -> at.isBefore(cutoff));
    return dropped.get();
  }

  /** Models with failure records held in memory: what {@link #cleanUp} bounds. */
  int modelsTracked() {
    return failures.size();
  }

  @Override
  public FailureStatistics statistics(Instant now) {
    Instant cutoff = now.minus(config.failureRetention());
    long total = 0;
    Map<ModelKey, Long> byModel = new TreeMap<>();
    Map<ProviderId, Long> byProvider = new TreeMap<>();
    Map<ErrorClass, Long> byErrorClass = new EnumMap<>(ErrorClass.class);
    for (Map.Entry<ModelKey, Deque<Failure>> entry : failures.entrySet()) {
      ModelKey model = entry.getKey();
      for (Failure failure : entry.getValue()) {
        if (!failure.at().isBefore(cutoff)) {
          total++;
          byModel.merge(model, 1L, Long::sum);
          byProvider.merge(model.provider(), 1L, Long::sum);
          byErrorClass.merge(failure.error(), 1L, Long::sum);
        }
      }
    }
    return new FailureStatistics(
        total, byModel, byProvider, byErrorClass, excludedModels(now), providersOut());
  }
}
