package dev.tta.models.server.management;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An in-process provider for HTTP tests: each model answers "hello from &lt;id&gt;" with 3 prompt
 * and 2 completion tokens after 100 ms of the shared manual clock, or fails as unavailable once
 * told to.
 */
class FakeProvider implements ModelProvider {

  static final Duration LATENCY = Duration.ofMillis(100);

  private final ProviderId id;
  private final ProviderType type;
  private final ManualTimeSource clock;
  private final List<ModelInfo> models = new CopyOnWriteArrayList<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  FakeProvider(String id, ProviderType type, ManualTimeSource clock) {
    this.id = ProviderId.of(id);
    this.type = type;
    this.clock = clock;
  }

  FakeProvider add(String modelId, UnaryOperator<ModelInfo.Builder> details) {
    models.add(details.apply(ModelInfo.builder(id, type, modelId)).build());
    return this;
  }

  void fail(String modelId) {
    failing.add(modelId);
  }

  @Override
  public ProviderId id() {
    return id;
  }

  @Override
  public ProviderType type() {
    return type;
  }

  @Override
  public List<ModelInfo> listModels(ModelFilter requested) {
    return models.stream().filter(requested::accepts).toList();
  }

  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    ModelInfo info =
        models.stream()
            .filter(m -> m.id().equals(modelId))
            .findFirst()
            .orElseThrow(
                () -> new ProviderException.ModelNotFound(id, modelId, "no " + modelId, null));
    return new Instance(info);
  }

  @Override
  public void unload(String modelId) {}

  @Override
  public ProviderHealth health() {
    return ProviderHealth.up("fake");
  }

  @Override
  public void close() {}

  private final class Instance implements ModelInstance {
    private final ModelInfo info;

    Instance(ModelInfo info) {
      this.info = info;
    }

    @Override
    public ModelInfo info() {
      return info;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallOptions options) {
      clock.advance(LATENCY);
      if (failing.contains(info.id())) {
        throw new ProviderException.Unavailable(id, info.id(), "fake outage", null);
      }
      return new ChatResponse(
          "r1",
          info.id(),
          ChatMessage.assistant("hello from " + info.id()),
          FinishReason.STOP,
          Optional.of(new Usage(3, 2)));
    }

    @Override
    public ChatStream stream(ChatRequest request, CallOptions options) {
      throw new ProviderException.InvalidRequest(id, info.id(), "no streams here", null);
    }

    @Override
    public ModelStatus status() {
      return ModelStatus.READY;
    }
  }
}
