package dev.tta.models.providers.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads OpenRouter's {@code GET /models} into model info. Prices in {@code pricing.prompt} and
 * {@code pricing.completion} are USD per token already, written as decimal strings. A negative
 * price means "variable" ({@code openrouter/auto} routes to some listed model): such a model is not
 * free and is priced at the dearest listed prompt and completion prices, the most it can cost, so
 * cost ceilings never let it through by accident and it never looks cheap.
 */
final class OpenRouterCatalog {

  static final String FREE_SUFFIX = ":free";

  private OpenRouterCatalog() {}

  /**
   * The models of a listing, in its order. An entry without an id or with an unreadable price is
   * left out rather than failing the whole listing.
   *
   * @throws IllegalArgumentException when the body has no {@code data} array
   */
  static List<ModelInfo> parse(ProviderId provider, JsonNode body) {
    JsonNode data = body.path("data");
    if (!data.isArray()) {
      throw new IllegalArgumentException("the model listing has no 'data' array");
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode node : data) {
      entry(node).ifPresent(entries::add);
    }
    double dearestPrompt = entries.stream().mapToDouble(Entry::prompt).max().orElse(0);
    double dearestCompletion = entries.stream().mapToDouble(Entry::completion).max().orElse(0);
    // a catalog of variable prices only has no known price to bound them by
    dearestPrompt = Math.max(dearestPrompt, 0);
    dearestCompletion = Math.max(dearestCompletion, 0);
    List<ModelInfo> models = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      boolean variable = entry.prompt() < 0 || entry.completion() < 0;
      double prompt = variable ? dearestPrompt : entry.prompt();
      double completion = variable ? dearestCompletion : entry.completion();
      boolean free =
          !variable
              && (entry.id().endsWith(FREE_SUFFIX)
                  || (entry.prompt() == 0 && entry.completion() == 0));
      models.add(
          ModelInfo.builder(provider, ProviderType.OPENROUTER, entry.id())
              .name(entry.node().path("name").asText(""))
              .description(entry.node().path("description").asText(""))
              .contextLength(contextLength(entry.node()))
              .costPerToken(free ? 0 : prompt, free ? 0 : completion)
              .free(free)
              .capabilities(capabilities(entry.node()))
              .build());
    }
    return models;
  }

  private record Entry(JsonNode node, String id, double prompt, double completion) {}

  private static Optional<Entry> entry(JsonNode node) {
    String id = node.path("id").asText("");
    if (id.isBlank()) {
      return Optional.empty();
    }
    Optional<Double> prompt = price(node.path("pricing").path("prompt"));
    Optional<Double> completion = price(node.path("pricing").path("completion"));
    if (prompt.isEmpty() || completion.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Entry(node, id, prompt.get(), completion.get()));
  }

  /** A missing, null or non-numeric value reads as text that is no number, so it is left out. */
  private static Optional<Double> price(JsonNode value) {
    try {
      double price = new BigDecimal(value.asText()).doubleValue();
      return Double.isFinite(price) ? Optional.of(price) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static OptionalInt contextLength(JsonNode node) {
    int stated = node.path("context_length").asInt(0);
    if (stated > 0) {
      return OptionalInt.of(stated);
    }
    int topProvider = node.path("top_provider").path("context_length").asInt(0);
    return topProvider > 0 ? OptionalInt.of(topProvider) : OptionalInt.empty();
  }

  /**
   * {@code chat} for every model, {@code vision} when images are an input, {@code tools} and {@code
   * reasoning} when the model accepts those parameters.
   */
  private static Set<String> capabilities(JsonNode node) {
    Set<String> capabilities = new LinkedHashSet<>();
    capabilities.add("chat");
    for (JsonNode modality : node.path("architecture").path("input_modalities")) {
      if (modality.asText().equals("image")) {
        capabilities.add("vision");
      }
    }
    for (JsonNode parameter : node.path("supported_parameters")) {
      switch (parameter.asText()) {
        case "tools" -> capabilities.add("tools");
        case "reasoning" -> capabilities.add("reasoning");
        default -> {}
      }
    }
    return capabilities;
  }
}
