package dev.tta.models.providers.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModelHandle;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A provider whose models a server runs and which it reaches through an {@link OpenAiClient}:
 * loading a model only gives out a handle for calls, one per model until it is unloaded; health is
 * what the server's health path answers; closing forgets the handles and closes the client, which
 * this provider owns. A subclass says what the server lists, and which handle a model gets where
 * the OpenAI-compatible one does not serve.
 *
 * @param <S> the provider's validated settings, which its factory built it from
 */
public abstract class HttpModelProvider<S extends NamedSettings> extends AbstractModelProvider<S> {

  private final OpenAiClient client;
  private final ModelHandles handles;

  /** The client becomes this provider's: closing the provider closes it. */
  protected HttpModelProvider(ProviderType type, S settings, OpenAiClient client) {
    super(type, settings);
    this.client = Checks.notNull(client, "client");
    this.handles = new ModelHandles(settings.id());
  }

  protected final OpenAiClient client() {
    return client;
  }

  /**
   * A handle for a model of the catalog or of configuration; the same handle until it is unloaded.
   *
   * @throws ProviderException.ModelNotFound when neither the catalog nor configuration has it
   * @throws ProviderException when reading the catalog failed and configuration lacks the model
   */
  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    return handle(modelId, this::catalog, this::open);
  }

  /**
   * The handle for a model's calls, made once per model until it is unloaded; by default one for
   * the OpenAI-compatible chat API that the client speaks.
   */
  protected ModelInstance open(ModelInfo info) {
    return new OpenAiModelHandle(info, client);
  }

  /**
   * The handle given out for the model already, or else one opened for the model the catalog offers
   * under that id. A model {@linkplain #configuredModels() configuration names} is opened from
   * configuration when the catalog cannot be read.
   *
   * @param catalog read only for a model without a handle
   * @throws ProviderException.ModelNotFound naming what the catalog offers, when it lacks the model
   * @throws ProviderException when reading the catalog failed
   */
  protected final ModelInstance handle(
      String modelId, Supplier<List<ModelInfo>> catalog, Function<ModelInfo, ModelInstance> open) {
    return handles.load(modelId, catalog, configuredModels(), open);
  }

  /**
   * {@code GET path} on the server, read by {@code parse}; a body the parser refuses with an {@link
   * IllegalArgumentException} fails as the server being unavailable, naming the call.
   *
   * @throws ProviderException when the call failed or the body is not what the parser reads
   */
  protected final <T> T listing(String path, Function<JsonNode, T> parse) {
    try {
      return parse.apply(client.getJson(path));
    } catch (IllegalArgumentException e) {
      throw new ProviderException.Unavailable(id(), null, "GET " + path + ": " + e.getMessage(), e);
    }
  }

  /** Forgets the model's handle; the server keeps the model in memory as it decides. */
  @Override
  public void unload(String modelId) {
    handles.unload(modelId);
  }

  @Override
  public final ProviderHealth health() {
    return client.health();
  }

  @Override
  public final void close() {
    handles.clear();
    client.close();
  }
}
