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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each provider's model list, kept for a time to live (the original's hour), so that selection does
 * not list every provider on every request. A listing that failed is not tried again for a short
 * wait, so that a provider that cannot be reached costs its connect timeout once per wait, not on
 * every request. Thread-safe. Two threads that find the same provider's copy stale at the same
 * moment may both list it; the later answer is kept.
 */
public final class CatalogCache {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogCache.class);

  /** The original's. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofHours(1);

  /**
   * Short against a circuit breaker's 30 s open wait, so that a provider that is back is listed
   * again soon; long against request rates, so that one that is gone is asked a few times a minute.
   */
  public static final Duration DEFAULT_RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

  private record Entry(List<ModelInfo> models, long listedAtNanos) {}

  private record Failure(ProviderException error, long failedAtNanos) {}

  private final TimeSource time;
  private final long timeToLiveNanos;
  private final long retryAfterFailureNanos;
  private final ConcurrentHashMap<ProviderId, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ProviderId, Failure> failures = new ConcurrentHashMap<>();

  public CatalogCache(TimeSource time, Duration timeToLive, Duration retryAfterFailure) {
    this.time = Checks.notNull(time, "time");
    Checks.notNull(timeToLive, "time_to_live");
    Checks.require(timeToLive.isPositive(), "time_to_live", "must be positive, was " + timeToLive);
    Checks.notNull(retryAfterFailure, "retry_after_failure");
    Checks.require(
        retryAfterFailure.isPositive(),
        "retry_after_failure",
        "must be positive, was " + retryAfterFailure);
    this.timeToLiveNanos = timeToLive.toNanos();
    this.retryAfterFailureNanos = retryAfterFailure.toNanos();
  }

  /** A cache with {@link #DEFAULT_RETRY_AFTER_FAILURE}. */
  public CatalogCache(TimeSource time, Duration timeToLive) {
    this(time, timeToLive, DEFAULT_RETRY_AFTER_FAILURE);
  }

  /** A cache with {@link #DEFAULT_TIME_TO_LIVE}. */
  public CatalogCache(TimeSource time) {
    this(time, DEFAULT_TIME_TO_LIVE);
  }

  /**
   * The provider's models: the cached copy while it is younger than the time to live, otherwise a
   * new listing with {@link ModelFilter#ALL}. When that listing fails, a stale copy is returned;
   * with no copy, the models its configuration names ({@link ModelProvider#configuredModels}); with
   * neither, the failure propagates. Until the retry wait after a failure is over, the provider is
   * not listed again: the stale copy, the configured models, or the same failure, is the answer.
   *
   * @throws ProviderException when listing fails (now or within the retry wait) and nothing is
   *     cached or configured
   */
  public List<ModelInfo> models(ModelProvider provider) {
    Checks.notNull(provider, "provider");
    ProviderId id = provider.id();
    Entry cached = entries.get(id);
    long now = time.nanoTime();
    if (cached != null && now - cached.listedAtNanos() < timeToLiveNanos) {
      return cached.models();
    }
    Failure failed = failures.get(id);
    if (failed != null && now - failed.failedAtNanos() < retryAfterFailureNanos) {
      return fallback(provider, cached, failed.error());
    }
    List<ModelInfo> models;
    try {
      models = List.copyOf(provider.listModels(ModelFilter.ALL));
    } catch (ProviderException e) {
      failures.put(id, new Failure(e, now));
      LOG.warn(
          "provider {} could not list its models ({}: {}); {} until it is listed again",
          id,
          e.errorClass().wireName(),
          e.getMessage(),
          cached != null
              ? "the previous listing stands"
              : provider.configuredModels().isEmpty()
                  ? "it offers no model"
                  : "its configured models stand");
      return fallback(provider, cached, e);
    }
    failures.remove(id);
    entries.put(id, new Entry(models, now));
    return models;
  }

  private static List<ModelInfo> fallback(
      ModelProvider provider, Entry cached, ProviderException failure) {
    if (cached != null) {
      return cached.models();
    }
    List<ModelInfo> configured = provider.configuredModels();
    if (configured.isEmpty()) {
      throw failure;
    }
    return List.copyOf(configured);
  }

  /**
   * Drops the provider's cached copy and any remembered failure; the next {@link #models} call
   * lists again.
   */
  public void refresh(ProviderId provider) {
    Checks.notNull(provider, "provider");
    entries.remove(provider);
    failures.remove(provider);
  }

  /** Drops every cached copy and every remembered failure. */
  public void refreshAll() {
    entries.clear();
    failures.clear();
  }
}
