package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModel;
import dev.tta.models.providers.spi.HttpModelProvider;
import java.util.List;

/**
 * The {@code custom_api} provider: any OpenAI-compatible server, its models described by
 * configuration merged with what the server lists (see {@link CustomApiCatalog}). Built by {@link
 * CustomApiProviderFactory}.
 */
public final class CustomApiProvider extends HttpModelProvider<CustomApiSettings> {

  CustomApiProvider(CustomApiSettings settings, OpenAiClient client) {
    super(ProviderType.CUSTOM_API, settings, client);
  }

  @Override
  public List<ModelInfo> configuredModels() {
    return CustomApiCatalog.configuredOnly(
        id(), ProviderType.CUSTOM_API, CustomApiCatalog.CUSTOM_API_DEFAULTS, settings().models());
  }

  /**
   * The configured models, and with {@code discover_models} those the server lists.
   *
   * @throws ProviderException when the server's listing failed
   */
  @Override
  protected List<ModelInfo> catalog() {
    List<OpenAiModel> listed = settings().discoverModels() ? client().listModels() : List.of();
    return CustomApiCatalog.merge(id(), settings().models(), listed);
  }
}
