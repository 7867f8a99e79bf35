package dev.tta.models.catalog;

import dev.tta.models.internal.Checks;

/**
 * A model deployment: one model on one provider, written {@code provider/model-id}. The model id is
 * the provider's own and may itself contain slashes ({@code
 * openrouter/meta-llama/llama-3.1-8b-instruct:free}); the provider is what comes before the first
 * one. Circuit breakers, failure records and measurements are kept per key.
 */
public record ModelKey(ProviderId provider, String modelId) implements Comparable<ModelKey> {

  public ModelKey {
    Checks.notNull(provider, "provider");
    Checks.notBlank(modelId, "model id");
  }

  public static ModelKey of(String provider, String modelId) {
    return new ModelKey(ProviderId.of(provider), modelId);
  }

  /** Parses {@code provider/model-id}. */
  public static ModelKey parse(String text) {
    Checks.notBlank(text, "model");
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException(
          "model: must be written provider/model-id, was '" + text + "'");
    }
    return new ModelKey(ProviderId.of(text.substring(0, slash)), text.substring(slash + 1));
  }

  @Override
  public int compareTo(ModelKey other) {
    int byProvider = provider.compareTo(other.provider);
    return byProvider != 0 ? byProvider : modelId.compareTo(other.modelId);
  }

  @Override
  public String toString() {
    return provider.value() + "/" + modelId;
  }
}
