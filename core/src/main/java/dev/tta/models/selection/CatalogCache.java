package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each provider's model list, kept for a time to live (the original's hour), so that selection does
 * not list every provider on every request. Thread-safe. Two threads that find the same provider's
 * copy stale at the same moment may both list it; the later answer is kept.
 */
public final class CatalogCache {

  /** The original's. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofHours(1);

  private record Entry(List<ModelInfo> models, long listedAtNanos) {}

  private final TimeSource time;
  private final long timeToLiveNanos;
  private final ConcurrentHashMap<ProviderId, Entry> entries = new ConcurrentHashMap<>();

  public CatalogCache(TimeSource time, Duration timeToLive) {
    this.time = Checks.notNull(time, "time");
    Checks.notNull(timeToLive, "time_to_live");
    Checks.require(timeToLive.isPositive(), "time_to_live", "must be positive, was " + timeToLive);
    this.timeToLiveNanos = timeToLive.toNanos();
  }

  /** A cache with {@link #DEFAULT_TIME_TO_LIVE}. */
  public CatalogCache(TimeSource time) {
    this(time, DEFAULT_TIME_TO_LIVE);
  }

  /**
   * The provider's models: the cached copy while it is younger than the time to live, otherwise a
   * new listing with {@link ModelFilter#ALL}. When that listing fails, a stale copy is returned
   * (and the next call lists again); with no copy at all, the failure propagates.
   *
   * @throws ProviderException when listing fails and nothing is cached
   */
  public List<ModelInfo> models(ModelProvider provider) {
    Checks.notNull(provider, "provider");
    ProviderId id = provider.id();
    Entry cached = entries.get(id);
    long now = time.nanoTime();
    if (cached != null && now - cached.listedAtNanos() < timeToLiveNanos) {
      return cached.models();
    }
    List<ModelInfo> models;
    try {
      models = List.copyOf(provider.listModels(ModelFilter.ALL));
    } catch (ProviderException e) {
      if (cached == null) {
        throw e;
      }
      return cached.models();
    }
    entries.put(id, new Entry(models, now));
    return models;
  }

  /** Drops the provider's cached copy; the next {@link #models} call lists again. */
  public void refresh(ProviderId provider) {
    entries.remove(Checks.notNull(provider, "provider"));
  }

  /** Drops every cached copy. */
  public void refreshAll() {
    entries.clear();
  }
}
