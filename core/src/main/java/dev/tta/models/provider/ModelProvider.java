package dev.tta.models.provider;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.List;

/**
 * The provider SPI: one configured source of models (a local model folder, an Ollama server, an
 * OpenAI-compatible API ...). Built by a factory from its configuration, so an instance is always
 * fully initialised. Thread-safe.
 */
public interface ModelProvider extends AutoCloseable {

  /** The configured name, the prefix of this provider's model keys. */
  ProviderId id();

  ProviderType type();

  /**
   * The models this provider offers now.
   *
   * @throws ProviderException when the listing itself failed (unreachable, refused key ...)
   */
  List<ModelInfo> listModels(ModelFilter filter);

  /**
   * The models written in this provider's configuration, as configuration alone describes them.
   * They are offered even while a listing fails, so that a configured model never depends on a
   * discovery call succeeding (a request then reaches the provider and fails as it fails, rather
   * than finding no model). Empty for a provider whose models are only discovered.
   */
  default List<ModelInfo> configuredModels() {
    return List.of();
  }

  /**
   * Makes a model ready for calls: loads a local model into memory, or returns a handle for a
   * remote one. Loading an already loaded model returns the loaded instance.
   *
   * @throws ProviderException.ModelNotFound when the provider has no such model
   */
  ModelInstance load(String modelId, LoadOptions options);

  /** Releases a loaded model; a no-op for remote models and for models not loaded. */
  void unload(String modelId);

  /** A cheap check that the provider answers; never throws. */
  ProviderHealth health();

  /** Releases threads, connections and loaded models. Idempotent. */
  @Override
  void close();
}
