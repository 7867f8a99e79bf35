package dev.tta.models.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.providers.spi.HttpModelProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code ollama} provider over Ollama's native API: the pulled models ({@code /api/tags}) with
 * what {@code /api/show} says of each (asked once per model digest), only those that can chat.
 * Ollama loads a model on its first call; {@link #running()} says which are in memory ({@code
 * /api/ps}), and unloading sends {@code keep_alive: 0}. Built by {@link OllamaProviderFactory}.
 */
public final class OllamaProvider extends HttpModelProvider<OllamaSettings> {

  static final String TAGS = "api/tags";
  static final String SHOW = "api/show";
  static final String RUNNING = "api/ps";
  static final String PULL = "api/pull";

  private final Map<String, OllamaCatalog.Shown> shownByDigest = new ConcurrentHashMap<>();

  OllamaProvider(OllamaSettings settings, OpenAiClient client) {
    super(ProviderType.OLLAMA, settings, client);
  }

  /** The configured models as configuration describes them, for while Ollama cannot be asked. */
  @Override
  public List<ModelInfo> configuredModels() {
    return settings().models().stream()
        .map(
            model ->
                OllamaCatalog.info(
                    id(),
                    new OllamaCatalog.Pulled(model.id(), "", 0, ""),
                    OllamaCatalog.Shown.UNKNOWN,
                    model))
        .toList();
  }

  /**
   * Calls go through Ollama's native chat API, which loads the model into memory on its first call.
   */
  @Override
  protected ModelInstance open(ModelInfo info) {
    return new OllamaModel(info, client());
  }

  /** Frees the model's memory in Ollama ({@code keep_alive: 0}) and forgets its handle. */
  @Override
  public void unload(String modelId) {
    super.unload(modelId);
    freeMemory(modelId);
  }

  /**
   * Downloads a model into Ollama ({@code POST /api/pull}), handing each progress line to the
   * listener as it arrives; returns once Ollama says {@code success}. A new model is in the next
   * listing.
   *
   * @param quietLimit the longest Ollama may stay silent between two progress lines
   * @throws ProviderException when the pull fails (an unknown model, no network) or stalls
   */
  public void pull(String modelId, Duration quietLimit, Consumer<PullProgress> listener) {
    Checks.notBlank(modelId, "model");
    Checks.notNull(listener, "listener");
    ObjectNode request =
        OpenAiJson.mapper().createObjectNode().put("model", modelId).put("stream", true);
    try (ChatStream lines =
        client()
            .postStream(
                modelId,
                PULL,
                bytes(request),
                CallOptions.withTimeout(quietLimit),
                new PullDecoder(id(), modelId, client().errors(), listener))) {
      while (lines.next().isPresent()) {
        // progress goes to the listener; a pull yields no chat output
      }
    }
  }

  /** The names of the models Ollama has in memory now. */
  public Set<String> running() {
    return OllamaCatalog.running(client().getJson(RUNNING));
  }

  /**
   * The pulled models that can chat.
   *
   * @throws ProviderException when a listing failed
   */
  @Override
  protected List<ModelInfo> catalog() {
    List<OllamaCatalog.Pulled> pulled = listing(TAGS, OllamaCatalog::tags);
    Map<String, CustomModelSettings> configured =
        settings().models().stream()
            .collect(Collectors.toMap(CustomModelSettings::id, Function.identity()));
    List<ModelInfo> models = new ArrayList<>();
    for (OllamaCatalog.Pulled model : pulled) {
      OllamaCatalog.Shown shown = shown(model);
      if (OllamaCatalog.chats(shown)) {
        models.add(OllamaCatalog.info(id(), model, shown, configured.get(model.name())));
      }
    }
    return models;
  }

  /**
   * What {@code /api/show} says of the model, asked once per digest. When it cannot say (an older
   * server, a failed call), Ollama's defaults stand in and the next listing asks again: one model's
   * details never hide the others.
   */
  private OllamaCatalog.Shown shown(OllamaCatalog.Pulled model) {
    String key = model.digest().isBlank() ? model.name() : model.digest();
    OllamaCatalog.Shown known = shownByDigest.get(key);
    if (known != null) {
      return known;
    }
    ObjectNode request = OpenAiJson.mapper().createObjectNode().put("model", model.name());
    try {
      byte[] body =
          client().postJson(model.name(), SHOW, bytes(request), client().config().catalogTimeout());
      OllamaCatalog.Shown shown = OllamaCatalog.show(OpenAiJson.mapper().readTree(body));
      shownByDigest.put(key, shown);
      return shown;
    } catch (ProviderException | IOException e) {
      return OllamaCatalog.Shown.UNKNOWN;
    }
  }

  /** An empty chat with {@code keep_alive: 0}: Ollama then frees the model. */
  private void freeMemory(String modelId) {
    ObjectNode request = OpenAiJson.mapper().createObjectNode().put("model", modelId);
    request.putArray("messages");
    request.put("keep_alive", 0);
    request.put("stream", false);
    client()
        .postJson(modelId, OllamaModel.CHAT, bytes(request), client().config().catalogTimeout());
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return OpenAiJson.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }
}
