package dev.tta.models.providers.local;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.spi.NamedSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The configuration of a {@code local} provider: GGUF model files run in-process by llama.cpp.
 * Validated on construction: a bad value is refused with a message naming its key.
 *
 * @param id the provider's name, the prefix of its model keys ({@code local/tta-tiny-random})
 * @param modelPaths {@code model_paths}: GGUF files, and folders whose {@code *.gguf} files (two
 *     levels deep) are offered
 * @param maxLoadedModels {@code max_loaded_models}: models held in memory at once; loading one more
 *     is refused until one is unloaded
 * @param contextLength {@code context_length}: the window to load models with; empty for each
 *     model's own, capped at {@link #MAX_DEFAULT_CONTEXT}
 * @param threads {@code threads}: CPU threads for generation
 * @param defaultMaxTokens {@code default_max_tokens}: tokens generated when a request sets none
 */
public record LocalSettings(
    ProviderId id,
    List<Path> modelPaths,
    int maxLoadedModels,
    OptionalInt contextLength,
    int threads,
    int defaultMaxTokens)
    implements NamedSettings {

  /** A model's own window can be huge; without configuration it is loaded with at most this. */
  public static final int MAX_DEFAULT_CONTEXT = 4096;

  public static final int DEFAULT_MAX_LOADED_MODELS = 1;
  public static final int DEFAULT_MAX_TOKENS = 256;

  public LocalSettings {
    Checks.notNull(id, "id");
    modelPaths = Checks.listOf(modelPaths, "model_paths");
    Checks.positive(maxLoadedModels, "max_loaded_models");
    Checks.notNull(contextLength, "context_length");
    contextLength.ifPresent(n -> Checks.positive(n, "context_length"));
    Checks.positive(threads, "threads");
    Checks.positive(defaultMaxTokens, "default_max_tokens");
  }

  public static Builder builder(String id) {
    return new Builder(ProviderId.of(id));
  }

  /** Defaults: one loaded model, each model's own window (capped), all but one core, 256 tokens. */
  public static final class Builder {
    private final ProviderId id;
    private final List<Path> modelPaths = new ArrayList<>();
    private int maxLoadedModels = DEFAULT_MAX_LOADED_MODELS;
    private OptionalInt contextLength = OptionalInt.empty();
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;

    private Builder(ProviderId id) {
      this.id = id;
    }

    public Builder addModelPath(Path path) {
      modelPaths.add(path);
      return this;
    }

    public Builder maxLoadedModels(int maxLoadedModels) {
      this.maxLoadedModels = maxLoadedModels;
      return this;
    }

    public Builder contextLength(int contextLength) {
      this.contextLength = OptionalInt.of(contextLength);
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder defaultMaxTokens(int defaultMaxTokens) {
      this.defaultMaxTokens = defaultMaxTokens;
      return this;
    }

    public LocalSettings build() {
      return new LocalSettings(
          id, modelPaths, maxLoadedModels, contextLength, threads, defaultMaxTokens);
    }
  }
}
