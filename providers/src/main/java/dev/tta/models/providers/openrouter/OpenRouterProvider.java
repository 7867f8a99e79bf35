package dev.tta.models.providers.openrouter;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.management.FreeModelFilter;
import dev.tta.models.management.FreeModelFilterControl;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.loading.ModelHandles;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModelHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code openrouter} provider: OpenRouter's catalog with its per-token prices, narrowed by a
 * {@link OpenRouterFilter} that can change while the provider runs, and chats through the shared
 * OpenAI-compatible client (OpenRouter's {@code usage.cost} becomes the call's reported cost).
 * Built by {@link OpenRouterProviderFactory}.
 */
public final class OpenRouterProvider implements ModelProvider, FreeModelFilterControl {

  static final String MODELS_PATH = "models";

  private final OpenRouterSettings settings;
  private final OpenAiClient client;
  private final ModelHandles<OpenAiModelHandle> handles;
  private final AtomicReference<OpenRouterFilter> filter;

  OpenRouterProvider(OpenRouterSettings settings, OpenAiClient client) {
    this.settings = settings;
    this.client = client;
    this.handles = new ModelHandles<>(settings.id());
    this.filter = new AtomicReference<>(settings.filter());
  }

  public OpenRouterSettings settings() {
    return settings;
  }

  /** The filter in force now. */
  public OpenRouterFilter filter() {
    return filter.get();
  }

  /** Replaces the filter; listings and loads from now on use it. Handles already given out stay. */
  public void filter(OpenRouterFilter newFilter) {
    filter.set(Checks.notNull(newFilter, "filter"));
  }

  /** The filter in force now, as the management API sees it. */
  @Override
  public FreeModelFilter freeModelFilter() {
    OpenRouterFilter current = filter.get();
    return new FreeModelFilter(
        current.showFreeOnly(), current.preferFree(), current.maxCostPerToken());
  }

  /** Replaces the filter from the management API. */
  @Override
  public void freeModelFilter(FreeModelFilter newFilter) {
    Checks.notNull(newFilter, "filter");
    filter(
        new OpenRouterFilter(
            newFilter.showFreeOnly(), newFilter.preferFree(), newFilter.maxCostPerToken()));
  }

  @Override
  public ProviderId id() {
    return settings.id();
  }

  @Override
  public ProviderType type() {
    return ProviderType.OPENROUTER;
  }

  /**
   * The catalog's models that pass this provider's filter and then the given one.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  public List<ModelInfo> listModels(ModelFilter modelFilter) {
    return offered().stream().filter(modelFilter::accepts).toList();
  }

  /**
   * A handle for a model the filter offers.
   *
   * @throws ProviderException.ModelNotFound when the catalog lacks it or the filter hides it
   */
  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    return handles.load(modelId, this::offered, info -> new OpenAiModelHandle(info, client));
  }

  @Override
  public void unload(String modelId) {
    handles.unload(modelId);
  }

  @Override
  public ProviderHealth health() {
    return client.health();
  }

  @Override
  public void close() {
    handles.clear();
    client.close();
  }

  private List<ModelInfo> offered() {
    List<ModelInfo> catalog;
    try {
      catalog = OpenRouterCatalog.parse(id(), client.getJson(MODELS_PATH));
    } catch (IllegalArgumentException e) {
      throw new ProviderException.Unavailable(
          id(), null, "GET " + MODELS_PATH + ": " + e.getMessage(), e);
    }
    return filter.get().apply(catalog);
  }
}
