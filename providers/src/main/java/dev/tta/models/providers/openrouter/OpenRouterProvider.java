package dev.tta.models.providers.openrouter;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.management.FreeModelFilter;
import dev.tta.models.management.FreeModelFilterControl;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.spi.HttpModelProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code openrouter} provider: OpenRouter's catalog with its per-token prices, narrowed by a
 * {@link OpenRouterFilter} that can change while the provider runs, and chats through the shared
 * OpenAI-compatible client (OpenRouter's {@code usage.cost} becomes the call's reported cost).
 * Built by {@link OpenRouterProviderFactory}.
 */
public final class OpenRouterProvider extends HttpModelProvider<OpenRouterSettings>
    implements FreeModelFilterControl {

  static final String MODELS_PATH = "models";

  private final AtomicReference<OpenRouterFilter> filter;

  OpenRouterProvider(OpenRouterSettings settings, OpenAiClient client) {
    super(ProviderType.OPENROUTER, settings, client);
    this.filter = new AtomicReference<>(settings.filter());
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

  /**
   * OpenRouter's models that pass this provider's filter: a model the filter hides can be neither
   * listed nor loaded.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  protected List<ModelInfo> catalog() {
    return filter.get().apply(listing(MODELS_PATH, body -> OpenRouterCatalog.parse(id(), body)));
  }
}
