package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.providers.openai.OpenAiModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Merges what configuration says about models with what the server lists. Configured models come
 * first, in configuration order, whether the server lists them or not; then the listed models that
 * configuration does not name, in the server's order, with {@link
 * CustomModelSettings#DEFAULT_CAPABILITIES}, no prices and unknown scores. A model's context window
 * is the configured one, else the listed one, else the provider type's default ({@link
 * CustomApiSettings#DEFAULT_CONTEXT_LENGTH} for {@code custom_api}).
 */
public final class CustomApiCatalog {

  private CustomApiCatalog() {}

  static List<ModelInfo> merge(
      ProviderId provider, List<CustomModelSettings> configured, List<OpenAiModel> listed) {
    return merge(
        provider,
        ProviderType.CUSTOM_API,
        CustomApiSettings.DEFAULT_CONTEXT_LENGTH,
        configured,
        listed);
  }

  /**
   * The same merge for another provider type whose servers list models the same way, with its own
   * default context window.
   */
  public static List<ModelInfo> merge(
      ProviderId provider,
      ProviderType type,
      int defaultContextLength,
      List<CustomModelSettings> configured,
      List<OpenAiModel> listed) {
    Map<String, OpenAiModel> listedById = new LinkedHashMap<>();
    for (OpenAiModel model : listed) {
      listedById.putIfAbsent(model.id(), model);
    }
    List<ModelInfo> models = new ArrayList<>();
    for (CustomModelSettings settings : configured) {
      OpenAiModel server = listedById.remove(settings.id());
      OptionalInt context =
          settings.contextLength().isPresent()
              ? settings.contextLength()
              : server == null ? OptionalInt.empty() : server.contextLength();
      models.add(
          ModelInfo.builder(provider, type, settings.id())
              .name(settings.name())
              .description(settings.description())
              .contextLength(context.orElse(defaultContextLength))
              .costPerToken(settings.inputCostPerToken(), settings.outputCostPerToken())
              .free(settings.free())
              .capabilities(settings.capabilities())
              .therapeuticSafetyScore(settings.therapeuticSafetyScore())
              .performanceScore(settings.performanceScore())
              .build());
    }
    for (OpenAiModel server : listedById.values()) {
      models.add(
          ModelInfo.builder(provider, type, server.id())
              .contextLength(server.contextLength().orElse(defaultContextLength))
              .capabilities(CustomModelSettings.DEFAULT_CAPABILITIES)
              .build());
    }
    return models;
  }
}
