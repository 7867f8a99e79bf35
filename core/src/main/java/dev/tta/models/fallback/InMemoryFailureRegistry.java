package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;

/**
 * A {@link FailureRegistry} in this process's memory, with a fixed bound: per model at most {@link
 * #MAX_RECORDS_PER_MODEL} failure records, each younger than {@code failureRetention} (older ones
 * are dropped whenever the model fails again, and by {@link #cleanUp} for models that stopped
 * failing), so that an upstream failing a thousand times a second holds a few hundred kilobytes,
 * not a day of records. Every access to a model's records holds that model's lock ({@link
 * ConcurrentMap#compute}), so a clean-up cannot lose a failure recorded at the same moment.
 */
public final class InMemoryFailureRegistry implements FailureRegistry {

  /**
   * Records kept per model: far more than exclusion needs (its last {@code maxFailures}), enough
   * for statistics to count every failure of a model failing a few times a second for a minute.
   */
  public static final int MAX_RECORDS_PER_MODEL = 4_096;

  private record Failure(ErrorClass error, Instant at) {}

  private record ProviderOut(String reason, Instant at) {}

  private static final BinaryOperator<Instant> LATER =
      BinaryOperator.maxBy(Comparator.naturalOrder());

  private final FallbackConfig config;
  private final ConcurrentMap<ModelKey, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final ConcurrentMap<ModelKey, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final ConcurrentMap<ProviderId, ProviderOut> providersOut = new ConcurrentHashMap<>();

  public InMemoryFailureRegistry(FallbackConfig config) {
    this.config = Checks.notNull(config, "config");
  }

  @Override
  public void recordFailure(ModelKey model, ErrorClass error, Instant at) {
    Failure failure = new Failure(Checks.notNull(error, "error"), Checks.notNull(at, "at"));
    Instant cutoff = at.minus(config.failureRetention());
    failures.compute(
        Checks.notNull(model, "model"),
        (key, records) -> {
          Deque<Failure> deque = records == null ? new ArrayDeque<>() : records;
          deque.addLast(failure);
          while (deque.size() > MAX_RECORDS_PER_MODEL || deque.getFirst().at().isBefore(cutoff)) {
            deque.removeFirst();
          }
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
    AtomicInteger counted = new AtomicInteger();
    failures.computeIfPresent(
        model,
        (key, records) -> {
          // newest first: the first record too old to count ends the count
          for (Iterator<Failure> it = records.descendingIterator();
              it.hasNext() && counted.get() < config.maxFailures(); ) {
            Failure failure = it.next();
            if (failure.at().isBefore(windowStart) || !failure.at().isAfter(success)) {
              break;
            }
            if (DeploymentFaults.attributable(failure.error())) {
              counted.incrementAndGet();
            }
          }
          return records;
        });
    return counted.get() >= config.maxFailures();
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
    providersOut.put(Checks.notNull(provider, "provider"), new ProviderOut(reason, at));
  }

  @Override
  public Map<ProviderId, String> providersOut(Instant now) {
    Map<ProviderId, String> out = new TreeMap<>();
    providersOut.forEach(
        (provider, marked) -> {
          Instant recheck = marked.at().plus(config.providerRecheckAfter());
          if (now.isBefore(recheck)) {
            out.put(
                provider,
                marked.reason() + " (since " + marked.at() + ", recheck at " + recheck + ")");
          }
        });
    return Collections.unmodifiableMap(out);
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
    providersOut
        .values()
        .removeIf(marked -> !now.isBefore(marked.at().plus(config.providerRecheckAfter())));
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
    for (ModelKey model : failures.keySet()) {
      for (Failure failure : snapshot(model)) {
        if (!failure.at().isBefore(cutoff)) {
          total++;
          byModel.merge(model, 1L, Long::sum);
          byProvider.merge(model.provider(), 1L, Long::sum);
          byErrorClass.merge(failure.error(), 1L, Long::sum);
        }
      }
    }
    return new FailureStatistics(
        total, byModel, byProvider, byErrorClass, excludedModels(now), providersOut(now));
  }

  private List<Failure> snapshot(ModelKey model) {
    Deque<Failure> copy = new ArrayDeque<>();
    failures.computeIfPresent(
        model,
        (key, records) -> {
          copy.addAll(records);
          return records;
        });
    return List.copyOf(copy);
  }
}
