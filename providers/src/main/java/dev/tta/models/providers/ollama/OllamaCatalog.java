package dev.tta.models.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.providers.customapi.CustomModelSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads Ollama's listings: {@code /api/tags} (the pulled models, with size and details), {@code
 * /api/show} (one model's context window and capabilities) and {@code /api/ps} (the loaded ones).
 */
final class OllamaCatalog {

  private OllamaCatalog() {}

  /** A pulled model as {@code /api/tags} lists it. */
  record Pulled(String name, String digest, long sizeBytes, String description) {}

  /** What {@code /api/show} says of a model; an empty capability set means it did not say. */
  record Shown(OptionalInt contextLength, Set<String> capabilities) {
    /** Nothing known: an unknown window, and a chat model. */
    static final Shown UNKNOWN = new Shown(OptionalInt.empty(), Set.of());
  }

  /**
   * The pulled models, in the listing's order; entries without a name are left out.
   *
   * @throws IllegalArgumentException when the body has no {@code models} array
   */
  static List<Pulled> tags(JsonNode body) {
    JsonNode models = body.path("models");
    if (!models.isArray()) {
      throw new IllegalArgumentException("the model listing has no 'models' array");
    }
    List<Pulled> pulled = new ArrayList<>();
    for (JsonNode model : models) {
      String name = model.path("name").asText(model.path("model").asText(""));
      if (name.isBlank()) {
        continue;
      }
      pulled.add(
          new Pulled(
              name,
              model.path("digest").asText(""),
              model.path("size").asLong(0),
              description(model.path("details"))));
    }
    return pulled;
  }

  /** "family, parameter size, quantization", those that are given. */
  private static String description(JsonNode details) {
    StringJoiner parts = new StringJoiner(", ");
    for (String field : List.of("family", "parameter_size", "quantization_level")) {
      String value = details.path(field).asText("");
      if (!value.isBlank()) {
        parts.add(value);
      }
    }
    return parts.toString();
  }

  /**
   * The window from {@code model_info["<architecture>.context_length"]} and the capabilities in our
   * words: {@code completion} is {@code chat}, {@code embedding} is {@code embeddings}, {@code
   * thinking} is {@code reasoning}; others keep their name.
   */
  static Shown show(JsonNode body) {
    JsonNode info = body.path("model_info");
    String architecture = info.path("general.architecture").asText("");
    int context = info.path(architecture + ".context_length").asInt(0);
    Set<String> capabilities = new LinkedHashSet<>();
    for (JsonNode capability : body.path("capabilities")) {
      capabilities.add(
          switch (capability.asText()) {
            case "completion" -> "chat";
            case "embedding" -> "embeddings";
            case "thinking" -> "reasoning";
            default -> capability.asText();
          });
    }
    return new Shown(context > 0 ? OptionalInt.of(context) : OptionalInt.empty(), capabilities);
  }

  /** The names of the loaded models. */
  static Set<String> running(JsonNode body) {
    Set<String> names = new HashSet<>();
    for (JsonNode model : body.path("models")) {
      String name = model.path("name").asText(model.path("model").asText(""));
      if (!name.isBlank()) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * A pulled model as model info: configuration's metadata over what Ollama says (capabilities are
   * the union of both).
   */
  static ModelInfo info(
      ProviderId provider, Pulled pulled, Shown shown, CustomModelSettings configured) {
    Set<String> capabilities =
        shown.capabilities().isEmpty() ? Set.of("chat") : shown.capabilities();
    ModelInfo.Builder info =
        ModelInfo.builder(provider, ProviderType.OLLAMA, pulled.name())
            .description(pulled.description())
            .contextLength(shown.contextLength())
            .costPerToken(0, 0)
            .free(true)
            .capabilities(capabilities)
            .assistantPrefill(AssistantPrefill.SUPPORTED);
    if (pulled.sizeBytes() > 0) {
      info.estimatedMemoryBytes(pulled.sizeBytes());
    }
    if (configured != null) {
      Set<String> both = new LinkedHashSet<>(capabilities);
      both.addAll(configured.capabilities());
      info.name(configured.name())
          .capabilities(both)
          .therapeuticSafetyScore(configured.therapeuticSafetyScore())
          .performanceScore(configured.performanceScore());
      configured.contextLength().ifPresent(info::contextLength);
      configured.assistantPrefill().ifPresent(info::assistantPrefill);
      if (!configured.description().isBlank()) {
        info.description(configured.description());
      }
    }
    return info.build();
  }

  /** Ollama says the model can complete, or says nothing; configuration cannot make it chat. */
  static boolean chats(Shown shown) {
    return shown.capabilities().isEmpty() || shown.capabilities().contains("chat");
  }
}
