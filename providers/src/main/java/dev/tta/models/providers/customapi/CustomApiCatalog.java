package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.openai.OpenAiModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Merges what configuration says about models with what the server lists. Configured models come
 * first, in configuration order, whether the server lists them or not; then the listed models that
 * configuration does not name, in the server's order, with the provider type's defaults, no prices
 * and unknown scores. A model's context window is the configured one, else the listed one, else the
 * type's default (unknown for {@code custom_api}).
 */
public final class CustomApiCatalog {

  /**
   * What a provider type knows of its models when neither configuration nor the server says.
   *
   * @param contextLength the window, empty when the type has no documented one
   * @param listedCapabilities capabilities of a listed model that configuration does not name
   * @param assistantPrefill whether its models continue an answer sent as the last message
   */
  public record TypeDefaults(
      OptionalInt contextLength,
      Set<String> listedCapabilities,
      AssistantPrefill assistantPrefill) {

    public TypeDefaults {
      Checks.notNull(contextLength, "context_length");
      listedCapabilities = Set.copyOf(listedCapabilities);
      Checks.notNull(assistantPrefill, "assistant_prefill");
    }
  }

  /**
   * Any OpenAI-compatible server: nothing is known of a model it lists but that it chats, and
   * whether it continues a prefix depends on the server (llama.cpp does, OpenAI's API does not).
   */
  static final TypeDefaults CUSTOM_API_DEFAULTS =
      new TypeDefaults(
          OptionalInt.empty(), CustomModelSettings.DEFAULT_CAPABILITIES, AssistantPrefill.UNKNOWN);

  private CustomApiCatalog() {}

  static List<ModelInfo> merge(
      ProviderId provider, List<CustomModelSettings> configured, List<OpenAiModel> listed) {
    return merge(provider, ProviderType.CUSTOM_API, CUSTOM_API_DEFAULTS, configured, listed);
  }

  /** The same merge for another provider type whose servers list models the same way. */
  public static List<ModelInfo> merge(
      ProviderId provider,
      ProviderType type,
      TypeDefaults defaults,
      List<CustomModelSettings> configured,
      List<OpenAiModel> listed) {
    Map<String, OpenAiModel> listedById = new LinkedHashMap<>();
    for (OpenAiModel model : listed) {
      listedById.putIfAbsent(model.id(), model);
    }
    List<ModelInfo> models = new ArrayList<>();
    for (CustomModelSettings settings : configured) {
      OpenAiModel server = listedById.remove(settings.id());
      OptionalInt listedWindow = server == null ? OptionalInt.empty() : server.contextLength();
      models.add(configured(provider, type, defaults, settings, listedWindow));
    }
    for (OpenAiModel server : listedById.values()) {
      models.add(
          ModelInfo.builder(provider, type, server.id())
              .contextLength(
                  server.contextLength().isPresent()
                      ? server.contextLength()
                      : defaults.contextLength())
              .capabilities(defaults.listedCapabilities())
              .assistantPrefill(defaults.assistantPrefill())
              .build());
    }
    return models;
  }

  /**
   * A configured model as configuration alone describes it, for when the server cannot be asked:
   * configured models never depend on a listing succeeding.
   */
  public static List<ModelInfo> configuredOnly(
      ProviderId provider,
      ProviderType type,
      TypeDefaults defaults,
      List<CustomModelSettings> configured) {
    return configured.stream()
        .map(settings -> configured(provider, type, defaults, settings, OptionalInt.empty()))
        .toList();
  }

  private static ModelInfo configured(
      ProviderId provider,
      ProviderType type,
      TypeDefaults defaults,
      CustomModelSettings settings,
      OptionalInt listedWindow) {
    OptionalInt context =
        settings.contextLength().isPresent()
            ? settings.contextLength()
            : listedWindow.isPresent() ? listedWindow : defaults.contextLength();
    return ModelInfo.builder(provider, type, settings.id())
        .name(settings.name())
        .description(settings.description())
        .contextLength(context)
        .costPerToken(settings.inputCostPerToken(), settings.outputCostPerToken())
        .free(settings.free())
        .capabilities(settings.capabilities())
        .therapeuticSafetyScore(settings.therapeuticSafetyScore())
        .performanceScore(settings.performanceScore())
        .assistantPrefill(settings.assistantPrefill().orElse(defaults.assistantPrefill()))
        .build();
  }
}
