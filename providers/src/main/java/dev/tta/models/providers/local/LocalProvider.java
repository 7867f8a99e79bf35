package dev.tta.models.providers.local;

import de.kherud.llama.LlamaModel;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.spi.AbstractModelProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@code local} provider: GGUF files run in-process by llama.cpp ({@code de.kherud:llama},
 * whose jar carries the native library). Models are listed from the files' headers without loading
 * them; loading is refused, with the numbers, when {@code max_loaded_models} are loaded already or
 * the model needs more memory than is available. Built by {@link LocalProviderFactory}.
 */
public final class LocalProvider extends AbstractModelProvider<LocalSettings> {

  private final LocalCatalog catalog;
  private final LongSupplier availableMemory;
  private final Map<String, LocalModel> loaded = new ConcurrentHashMap<>();

  LocalProvider(LocalSettings settings, LongSupplier availableMemory) {
    super(ProviderType.LOCAL, settings);
    this.catalog = new LocalCatalog(settings);
    this.availableMemory = availableMemory;
  }

  /** The configured model files, described from their headers without loading them. */
  @Override
  protected List<ModelInfo> catalog() {
    return catalog.models().stream().map(catalog::info).toList();
  }

  /** The ids of the models in memory now. */
  public Set<String> loadedModels() {
    return Set.copyOf(loaded.keySet());
  }

  /**
   * Loads a model into memory, or returns it when it is loaded.
   *
   * @throws ProviderException.ModelNotFound when no configured file has that name
   * @throws ProviderException.Unavailable when the loaded-model limit is reached, memory is short,
   *     or llama.cpp cannot load the file
   */
  @Override
  public synchronized ModelInstance load(String modelId, LoadOptions options) {
    LocalModel model = loaded.get(modelId);
    if (model != null) {
      return model;
    }
    List<LocalCatalog.Model> models = catalog.models();
    LocalCatalog.Model file =
        models.stream()
            .filter(m -> m.id().equals(modelId))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProviderException.ModelNotFound(
                        id(),
                        modelId,
                        "provider "
                            + id()
                            + " has no model file '"
                            + modelId
                            + LocalCatalog.EXTENSION
                            + "' under "
                            + settings().modelPaths()
                            + "; it has "
                            + models.stream().map(LocalCatalog.Model::id).toList(),
                        null));
    if (loaded.size() >= settings().maxLoadedModels()) {
      throw new ProviderException.Unavailable(
          id(),
          modelId,
          "max_loaded_models is "
              + settings().maxLoadedModels()
              + " and "
              + loaded.keySet()
              + " "
              + (loaded.size() == 1 ? "is" : "are")
              + " loaded; unload one first",
          null);
    }
    int context = options.contextLength().orElse(catalog.contextFor(file.gguf()));
    long needed = file.gguf().estimatedMemoryBytes(context);
    long available = availableMemory.getAsLong();
    if (needed > available) {
      throw new ProviderException.Unavailable(
          id(),
          modelId,
          "model "
              + modelId
              + " needs about "
              + size(needed)
              + " with a "
              + context
              + "-token context, but only "
              + size(available)
              + " are available",
          null);
    }
    LlamaModel llama;
    try {
      llama =
          new LlamaModel(
              LocalRuntime.parameters()
                  .setModel(file.gguf().path().toString())
                  .setCtxSize(context)
                  .setThreads(settings().threads()));
    } catch (RuntimeException | LinkageError e) {
      throw new ProviderException.Unavailable(
          id(), modelId, "llama.cpp cannot load " + file.gguf().path() + ": " + e.getMessage(), e);
    } finally {
      LocalRuntime.reattachLogger();
    }
    LocalModel created =
        new LocalModel(
            catalog.info(file),
            llama,
            file.gguf().hasChatTemplate(),
            file.gguf().addsBeginToken(),
            settings().defaultMaxTokens());
    loaded.put(modelId, created);
    return created;
  }

  /** 158 KiB, 3.4 MiB, 4.1 GiB. */
  static String size(long bytes) {
    if (bytes < 1L << 20) {
      return Math.max(0, bytes) / 1024 + " KiB";
    }
    if (bytes < 1L << 30) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  @Override
  public synchronized void unload(String modelId) {
    LocalModel model = loaded.remove(modelId);
    if (model != null) {
      model.close();
    }
  }

  /** Up when llama.cpp's native library loads and some model file is readable. */
  @Override
  public ProviderHealth health() {
    if (!LocalRuntime.available()) {
      return ProviderHealth.down("llama.cpp cannot be loaded: " + LocalRuntime.failure());
    }
    int models = catalog.models().size();
    if (models == 0) {
      return ProviderHealth.down(
          "no readable .gguf model under "
              + settings().modelPaths()
              + (catalog.unreadable().isEmpty() ? "" : "; unreadable: " + catalog.unreadable()));
    }
    return ProviderHealth.up(models + " model file(s), " + loaded.size() + " loaded");
  }

  @Override
  public synchronized void close() {
    for (String modelId : List.copyOf(loaded.keySet())) {
      unload(modelId);
    }
  }
}
