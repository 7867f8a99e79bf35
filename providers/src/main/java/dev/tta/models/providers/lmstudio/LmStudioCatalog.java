package dev.tta.models.providers.lmstudio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads LM Studio's {@code GET /api/v0/models}: every downloaded model with its {@code type}
 * ({@code llm}, {@code vlm}, {@code embeddings}), {@code state} ({@code loaded} or {@code
 * not-loaded}), {@code max_context_length}, and once loaded {@code loaded_context_length}.
 */
final class LmStudioCatalog {

  private LmStudioCatalog() {}

  /** A listed model as this provider offers it. */
  record Listed(ModelInfo info, ModelStatus status, boolean chat) {}

  /**
   * Every listed model, chat-capable or not, in the listing's order; entries without an id are left
   * out.
   *
   * @throws IllegalArgumentException when the body has no {@code data} array
   */
  static List<Listed> parse(ProviderId provider, JsonNode body) {
    JsonNode data = body.path("data");
    if (!data.isArray()) {
      throw new IllegalArgumentException("the model listing has no 'data' array");
    }
    List<Listed> models = new ArrayList<>();
    for (JsonNode node : data) {
      String id = node.path("id").asText("");
      if (id.isBlank()) {
        continue;
      }
      String type = node.path("type").asText("");
      boolean loaded = node.path("state").asText("").equals("loaded");
      ModelInfo info =
          ModelInfo.builder(provider, ProviderType.LM_STUDIO, id)
              .description(description(node))
              .contextLength(contextLength(node, loaded))
              .costPerToken(0, 0)
              .free(true)
              .capabilities(capabilities(type))
              .build();
      models.add(
          new Listed(
              info,
              loaded ? ModelStatus.READY : ModelStatus.AVAILABLE,
              type.equals("llm") || type.equals("vlm")));
    }
    return models;
  }

  /**
   * A loaded model answers within the window it was loaded with, which can be far below what the
   * model allows; a model not loaded yet is loaded on demand with its full window.
   */
  private static OptionalInt contextLength(JsonNode node, boolean loaded) {
    int loadedWindow = node.path("loaded_context_length").asInt(0);
    if (loaded && loadedWindow > 0) {
      return OptionalInt.of(loadedWindow);
    }
    int max = node.path("max_context_length").asInt(0);
    return max > 0 ? OptionalInt.of(max) : OptionalInt.empty();
  }

  private static Set<String> capabilities(String type) {
    Set<String> capabilities = new LinkedHashSet<>();
    switch (type) {
      case "llm" -> capabilities.add("chat");
      case "vlm" -> {
        capabilities.add("chat");
        capabilities.add("vision");
      }
      case "embeddings", "embedding" -> capabilities.add("embeddings");
      default -> {}
    }
    return capabilities;
  }

  /** "publisher, arch, quantization, format", those that are given. */
  private static String description(JsonNode node) {
    StringJoiner parts = new StringJoiner(", ");
    for (String field : List.of("publisher", "arch", "quantization", "compatibility_type")) {
      String value = node.path(field).asText("");
      if (!value.isBlank()) {
        parts.add(value);
      }
    }
    return parts.toString();
  }
}
