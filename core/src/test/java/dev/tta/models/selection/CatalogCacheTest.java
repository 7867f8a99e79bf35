package dev.tta.models.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CatalogCacheTest {

  private static final Duration TTL = Duration.ofMinutes(10);

  private final ManualTimeSource time = new ManualTimeSource();
  private final CatalogCache cache = new CatalogCache(time, TTL);

  /** Lists the queued answers in turn (repeating the last), counting the calls. */
  private static final class CountingProvider implements ModelProvider {
    private final ProviderId id;
    private final Deque<Object> answers = new ArrayDeque<>();
    private final AtomicInteger listings = new AtomicInteger();
    private final List<ModelFilter> filters = new ArrayList<>();
    private List<ModelInfo> configured = List.of();

    CountingProvider(String id) {
      this.id = ProviderId.of(id);
    }

    CountingProvider configuring(List<ModelInfo> configured) {
      this.configured = configured;
      return this;
    }

    @Override
    public List<ModelInfo> configuredModels() {
      return configured;
    }

    CountingProvider answering(Object... answers) {
      this.answers.addAll(List.of(answers));
      return this;
    }

    int listings() {
      return listings.get();
    }

    @Override
    public ProviderId id() {
      return id;
    }

    @Override
    public ProviderType type() {
      return ProviderType.CUSTOM_API;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized List<ModelInfo> listModels(ModelFilter filter) {
      listings.incrementAndGet();
      filters.add(filter);
      Object answer = answers.size() > 1 ? answers.poll() : answers.peek();
      if (answer instanceof ProviderException failure) {
        throw failure;
      }
      return (List<ModelInfo>) answer;
    }

    @Override
    public ModelInstance load(String modelId, LoadOptions options) {
      throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public void unload(String modelId) {}

    @Override
    public ProviderHealth health() {
      return ProviderHealth.up("in-test provider");
    }

    @Override
    public void close() {}
  }

  private static List<ModelInfo> models(String provider, String... ids) {
    List<ModelInfo> models = new ArrayList<>();
    for (String id : ids) {
      models.add(ModelInfo.builder(ProviderId.of(provider), ProviderType.CUSTOM_API, id).build());
    }
    return models;
  }

  private static ProviderException.Unavailable down(String provider) {
    return new ProviderException.Unavailable(
        ProviderId.of(provider), null, "connection refused", null);
  }

  @Test
  void models_listingFailsWithNothingCached_givesTheConfiguredModels_untilAListingSucceeds() {
    CountingProvider provider =
        new CountingProvider("p")
            .configuring(models("p", "written"))
            .answering(down("p"), models("p", "written", "discovered"));

    assertThat(cache.models(provider)).extracting(ModelInfo::id).containsExactly("written");
    time.advance(CatalogCache.DEFAULT_RETRY_AFTER_FAILURE.minusNanos(1));
    assertThat(cache.models(provider)).extracting(ModelInfo::id).containsExactly("written");
    assertThat(provider.listings()).isEqualTo(1);
    time.advance(Duration.ofNanos(1));
    assertThat(cache.models(provider))
        .extracting(ModelInfo::id)
        .containsExactly("written", "discovered");
    assertThat(provider.listings()).isEqualTo(2);
  }

  @Test
  void listingFailure_isTheLastFailure_untilAListingSucceeds_orARefresh() {
    CountingProvider provider =
        new CountingProvider("p")
            .configuring(models("p", "written"))
            .answering(down("p"), models("p", "written"), down("p"));
    ProviderId id = ProviderId.of("p");
    assertThat(cache.listingFailure(id)).isEmpty();

    cache.models(provider);
    assertThat(cache.listingFailure(id))
        .get()
        .extracting(ProviderException::getMessage)
        .isEqualTo("connection refused");
    time.advance(CatalogCache.DEFAULT_RETRY_AFTER_FAILURE);
    cache.models(provider);
    assertThat(cache.listingFailure(id)).isEmpty();
    time.advance(TTL);
    cache.models(provider);
    assertThat(cache.listingFailure(id)).isPresent();
    cache.refresh(id);
    assertThat(cache.listingFailure(id)).isEmpty();
  }

  @Test
  void models_listingFailsWithAStaleCopy_theStaleCopyWinsOverTheConfiguredModels() {
    CountingProvider provider =
        new CountingProvider("p")
            .configuring(models("p", "written"))
            .answering(models("p", "written", "discovered"), down("p"));
    cache.models(provider);
    time.advance(TTL);

    assertThat(cache.models(provider))
        .extracting(ModelInfo::id)
        .containsExactly("written", "discovered");
  }

  @Test
  void models_firstCall_listsAllModels() {
    CountingProvider provider = new CountingProvider("p").answering(models("p", "a", "b"));

    List<ModelInfo> models = cache.models(provider);

    assertThat(models).extracting(ModelInfo::id).containsExactly("a", "b");
    assertThat(provider.listings()).isEqualTo(1);
    assertThat(provider.filters).containsExactly(ModelFilter.ALL);
  }

  @Test
  void models_youngerThanTheTimeToLive_cachedCopy() {
    CountingProvider provider =
        new CountingProvider("p").answering(models("p", "a"), models("p", "b"));
    List<ModelInfo> first = cache.models(provider);

    time.advance(TTL.minusNanos(1));
    List<ModelInfo> second = cache.models(provider);

    assertThat(second).isSameAs(first);
    assertThat(provider.listings()).isEqualTo(1);
  }

  @Test
  void models_exactlyAtTheTimeToLive_listsAgain() {
    CountingProvider provider =
        new CountingProvider("p").answering(models("p", "a"), models("p", "b"));
    cache.models(provider);

    time.advance(TTL);
    List<ModelInfo> second = cache.models(provider);

    assertThat(second).extracting(ModelInfo::id).containsExactly("b");
    assertThat(provider.listings()).isEqualTo(2);
  }

  @Test
  void models_afterRelisting_theTimeToLiveStartsAgain() {
    CountingProvider provider =
        new CountingProvider("p").answering(models("p", "a"), models("p", "b"), models("p", "c"));
    cache.models(provider);
    time.advance(TTL.plusSeconds(5));
    cache.models(provider);

    time.advance(TTL.minusNanos(1));
    List<ModelInfo> third = cache.models(provider);

    assertThat(third).extracting(ModelInfo::id).containsExactly("b");
    assertThat(provider.listings()).isEqualTo(2);
  }

  @Test
  void models_staleAndListingFails_staleCopyWithoutListingUntilTheRetryWaitIsOver() {
    CountingProvider provider =
        new CountingProvider("p").answering(models("p", "a"), down("p"), models("p", "b"));
    List<ModelInfo> first = cache.models(provider);
    time.advance(TTL.plusMinutes(1));

    List<ModelInfo> duringOutage = cache.models(provider);
    time.advance(CatalogCache.DEFAULT_RETRY_AFTER_FAILURE.minusNanos(1));
    List<ModelInfo> stillWaiting = cache.models(provider);
    time.advance(Duration.ofNanos(1));
    List<ModelInfo> afterOutage = cache.models(provider);

    assertThat(duringOutage).isSameAs(first);
    assertThat(stillWaiting).isSameAs(first);
    assertThat(afterOutage).extracting(ModelInfo::id).containsExactly("b");
    // the listing at 0, the failed one, the one after the 10 s wait
    assertThat(provider.listings()).isEqualTo(3);
  }

  @Test
  void models_listingFailsWithNothingCached_theSameFailureUntilTheRetryWaitIsOver() {
    ProviderException.Unavailable failure = down("p");
    CountingProvider provider =
        new CountingProvider("p").answering(failure, failure, models("p", "a"));

    assertThatThrownBy(() -> cache.models(provider)).isSameAs(failure);
    time.advance(Duration.ofSeconds(9));
    assertThatThrownBy(() -> cache.models(provider)).isSameAs(failure);
    assertThat(provider.listings()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> cache.models(provider)).isSameAs(failure);
    assertThat(provider.listings()).isEqualTo(2);
    // the wait starts again at the second failure
    time.advance(Duration.ofSeconds(10));
    assertThat(cache.models(provider)).extracting(ModelInfo::id).containsExactly("a");
    assertThat(provider.listings()).isEqualTo(3);
  }

  @Test
  void aSuccessfulListing_forgetsTheFailure() {
    CountingProvider provider =
        new CountingProvider("p")
            .answering(down("p"), models("p", "a"), down("p"), models("p", "b"));
    CatalogCache shortLived = new CatalogCache(time, Duration.ofSeconds(1), Duration.ofSeconds(5));

    assertThatThrownBy(() -> shortLived.models(provider)).isInstanceOf(ProviderException.class);
    time.advance(Duration.ofSeconds(5));
    assertThat(shortLived.models(provider)).extracting(ModelInfo::id).containsExactly("a");
    time.advance(Duration.ofSeconds(1));
    // stale after 1 s: lists, fails, keeps the copy; 5 s later lists again
    assertThat(shortLived.models(provider)).extracting(ModelInfo::id).containsExactly("a");
    time.advance(Duration.ofSeconds(5));
    assertThat(shortLived.models(provider)).extracting(ModelInfo::id).containsExactly("b");
    assertThat(provider.listings()).isEqualTo(4);
  }

  @Test
  void refresh_afterAFailure_listsAgainAtOnce() {
    CountingProvider provider = new CountingProvider("p").answering(down("p"), models("p", "a"));
    assertThatThrownBy(() -> cache.models(provider)).isInstanceOf(ProviderException.class);

    cache.refresh(provider.id());

    assertThat(cache.models(provider)).extracting(ModelInfo::id).containsExactly("a");
    CountingProvider other = new CountingProvider("q").answering(down("q"), models("q", "c"));
    assertThatThrownBy(() -> cache.models(other)).isInstanceOf(ProviderException.class);
    cache.refreshAll();
    assertThat(cache.models(other)).extracting(ModelInfo::id).containsExactly("c");
  }

  @Test
  void theRetryWait_mustBePositive() {
    assertThatThrownBy(() -> new CatalogCache(time, TTL, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry_after_failure: must be positive, was PT0S");
  }

  @Test
  void models_eachProviderCachedOnItsOwn() {
    CountingProvider one = new CountingProvider("one").answering(models("one", "a"));
    CountingProvider two = new CountingProvider("two").answering(models("two", "b"));

    cache.models(one);
    time.advance(Duration.ofMinutes(6));
    cache.models(two);
    time.advance(Duration.ofMinutes(5));
    List<ModelInfo> oneAgain = cache.models(one);
    List<ModelInfo> twoAgain = cache.models(two);

    // one listed at 0 and stale at 11 minutes; two listed at 6, 5 minutes old at 11
    assertThat(one.listings()).isEqualTo(2);
    assertThat(two.listings()).isEqualTo(1);
    assertThat(oneAgain).extracting(ModelInfo::id).containsExactly("a");
    assertThat(twoAgain).extracting(ModelInfo::id).containsExactly("b");
  }

  @Test
  void models_immutableCopyOfTheListing() {
    List<ModelInfo> listing = models("p", "a");
    CountingProvider provider = new CountingProvider("p").answering(listing);

    List<ModelInfo> models = cache.models(provider);
    listing.clear();

    assertThat(models).hasSize(1);
    assertThatThrownBy(models::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refresh_dropsOnlyThatProvidersCopy() {
    CountingProvider one =
        new CountingProvider("one").answering(models("one", "a"), models("one", "b"));
    CountingProvider two = new CountingProvider("two").answering(models("two", "c"));
    cache.models(one);
    cache.models(two);

    cache.refresh(ProviderId.of("one"));

    assertThat(cache.models(one)).extracting(ModelInfo::id).containsExactly("b");
    cache.models(two);
    assertThat(one.listings()).isEqualTo(2);
    assertThat(two.listings()).isEqualTo(1);
  }

  @Test
  void refresh_thenListingFails_failurePropagates() {
    ProviderException.Unavailable failure = down("p");
    CountingProvider provider = new CountingProvider("p").answering(models("p", "a"), failure);
    cache.models(provider);

    cache.refresh(provider.id());

    assertThatThrownBy(() -> cache.models(provider)).isSameAs(failure);
  }

  @Test
  void refreshAll_dropsEveryCopy() {
    CountingProvider one = new CountingProvider("one").answering(models("one", "a"));
    CountingProvider two = new CountingProvider("two").answering(models("two", "b"));
    cache.models(one);
    cache.models(two);

    cache.refreshAll();
    cache.models(one);
    cache.models(two);

    assertThat(one.listings()).isEqualTo(2);
    assertThat(two.listings()).isEqualTo(2);
  }

  @Test
  void defaultTimeToLive_oneHour() {
    CatalogCache hourly = new CatalogCache(time);
    CountingProvider provider = new CountingProvider("p").answering(models("p", "a"));
    hourly.models(provider);

    time.advance(Duration.ofHours(1).minusNanos(1));
    hourly.models(provider);
    assertThat(provider.listings()).isEqualTo(1);
    time.advance(Duration.ofNanos(1));
    hourly.models(provider);

    assertThat(provider.listings()).isEqualTo(2);
    assertThat(CatalogCache.DEFAULT_TIME_TO_LIVE).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void constructor_rejectsBadArguments() {
    assertThatThrownBy(() -> new CatalogCache(null, TTL)).hasMessage("time: is required");
    assertThatThrownBy(() -> new CatalogCache(time, null)).hasMessage("time_to_live: is required");
    assertThatThrownBy(() -> new CatalogCache(time, Duration.ZERO))
        .hasMessage("time_to_live: must be positive, was PT0S");
    assertThatThrownBy(() -> cache.models(null)).hasMessage("provider: is required");
    assertThatThrownBy(() -> cache.refresh(null)).hasMessage("provider: is required");
  }

  @Test
  void models_manyThreadsAtOnce_allGetTheCatalog() throws Exception {
    CountingProvider provider = new CountingProvider("p").answering(models("p", "a", "b"));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ModelInfo>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return cache.models(provider);
                }));
      }
      start.countDown();
      for (Future<List<ModelInfo>> result : results) {
        assertThat(result.get()).extracting(ModelInfo::id).containsExactly("a", "b");
      }
    } finally {
      pool.shutdownNow();
    }

    int listingsWhileRacing = provider.listings();
    assertThat(listingsWhileRacing).isBetween(1, threads);
    cache.models(provider);
    assertThat(provider.listings()).isEqualTo(listingsWhileRacing);
  }
}
