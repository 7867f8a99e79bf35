package dev.tta.models.providers.spi;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handles an {@link HttpModelProvider} has given out: one per model id until it is unloaded, so
 * that repeated loads of a model share one handle and the catalog is asked only for a model not yet
 * loaded.
 */
final class ModelHandles {

  private final ProviderId provider;
  private final ConcurrentMap<String, ModelInstance> loaded = new ConcurrentHashMap<>();

  ModelHandles(ProviderId provider) {
    this.provider = Checks.notNull(provider, "provider");
  }

  /**
   * The handle for a model of the catalog, opened on first use. A model configuration names is
   * opened from configuration when the catalog cannot be read: a configured model never depends on
   * a listing succeeding.
   *
   * @throws ProviderException.ModelNotFound naming what the catalog offers, when it lacks the model
   * @throws ProviderException when reading the catalog failed
   */
  ModelInstance load(
      String modelId,
      Supplier<List<ModelInfo>> catalog,
      List<ModelInfo> configured,
      Function<ModelInfo, ModelInstance> open) {
    ModelInstance handle = loaded.get(modelId);
    if (handle != null) {
      return handle;
    }
    List<ModelInfo> models = catalogOrConfigured(modelId, catalog, configured);
    ModelInfo info =
        models.stream()
            .filter(m -> m.id().equals(modelId))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProviderException.ModelNotFound(
                        provider,
                        modelId,
                        "provider "
                            + provider
                            + " offers no model '"
                            + modelId
                            + "'; it offers "
                            + models.stream().map(ModelInfo::id).toList(),
                        null));
    return loaded.computeIfAbsent(modelId, ignored -> open.apply(info));
  }

  private static List<ModelInfo> catalogOrConfigured(
      String modelId, Supplier<List<ModelInfo>> catalog, List<ModelInfo> configured) {
    try {
      return catalog.get();
    } catch (ProviderException e) {
      List<ModelInfo> written = configured.stream().filter(m -> m.id().equals(modelId)).toList();
      if (written.isEmpty()) {
        throw e;
      }
      return written;
    }
  }

  void unload(String modelId) {
    loaded.remove(modelId);
  }

  void clear() {
    loaded.clear();
  }
}
