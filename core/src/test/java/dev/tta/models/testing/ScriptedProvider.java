package dev.tta.models.testing;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An in-process provider that implements the SPI for real and answers or fails on cue: each model
 * plays a script of steps, and the time each step takes advances a shared {@link ManualTimeSource},
 * so tests observe latencies without sleeping.
 */
public final class ScriptedProvider implements ModelProvider {

  private final ProviderId id;
  private final ProviderType type;
  private final ManualTimeSource clock;
  private final Map<String, ScriptedModel> models = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final AtomicInteger listCalls = new AtomicInteger();
  private volatile ErrorClass listFailure;
  private volatile Duration listLatency = Duration.ZERO;
  private volatile boolean closed;

  public ScriptedProvider(String id, ProviderType type, ManualTimeSource clock) {
    this.id = ProviderId.of(id);
    this.type = type;
    this.clock = clock;
  }

  /** Adds a model; the builder is pre-filled with this provider's id and type. */
  public ScriptedModel add(String modelId, UnaryOperator<ModelInfo.Builder> details) {
    ModelInfo info = details.apply(ModelInfo.builder(id, type, modelId)).build();
    ScriptedModel model = new ScriptedModel(info, clock);
    models.put(modelId, model);
    order.add(modelId);
    return model;
  }

  /**
   * Adds a model exactly as given, even one naming another provider: a listing bug that the router
   * must survive.
   */
  public ScriptedModel addAsListed(ModelInfo info) {
    ScriptedModel model = new ScriptedModel(info, clock);
    models.put(info.id(), model);
    order.add(info.id());
    return model;
  }

  public ScriptedModel model(String modelId) {
    return models.get(modelId);
  }

  /** Makes {@link #listModels} fail with this class until cleared with null. */
  public void failListing(ErrorClass error) {
    this.listFailure = error;
  }

  /** Makes every listing take this long (on the shared clock). */
  public void listLatency(Duration latency) {
    this.listLatency = latency;
  }

  public int listCalls() {
    return listCalls.get();
  }

  public boolean closed() {
    return closed;
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
  public List<ModelInfo> listModels(ModelFilter filter) {
    listCalls.incrementAndGet();
    clock.advance(listLatency);
    ErrorClass failure = listFailure;
    if (failure != null) {
      throw Failures.of(failure, id, null, null);
    }
    return order.stream().map(m -> models.get(m).info()).filter(filter::accepts).toList();
  }

  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    ScriptedModel model = models.get(modelId);
    if (model == null) {
      throw new ProviderException.ModelNotFound(id, modelId, "no model " + modelId, null);
    }
    return model;
  }

  @Override
  public void unload(String modelId) {}

  @Override
  public ProviderHealth health() {
    return listFailure == null ? ProviderHealth.up("scripted") : ProviderHealth.down("scripted");
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Builds the {@link ProviderException} of a class, as a real provider would map it. */
  public static final class Failures {
    private Failures() {}

    public static ProviderException of(
        ErrorClass error, ProviderId provider, String modelId, Duration retryAfter) {
      String message = error.wireName() + " (scripted)";
      return switch (error) {
        case AUTHENTICATION ->
            new ProviderException.Authentication(provider, modelId, message, null);
        case RATE_LIMITED ->
            new ProviderException.RateLimited(provider, modelId, message, retryAfter, null);
        case CONTEXT_LENGTH_EXCEEDED ->
            new ProviderException.ContextLengthExceeded(provider, modelId, message, null, null);
        case MODEL_NOT_FOUND ->
            new ProviderException.ModelNotFound(provider, modelId, message, null);
        case CONTENT_FILTERED ->
            new ProviderException.ContentFiltered(
                provider, modelId, message, "self-harm policy", null);
        case INVALID_REQUEST ->
            new ProviderException.InvalidRequest(provider, modelId, message, null);
        case TIMEOUT -> new ProviderException.Timeout(provider, modelId, message, null);
        case UNAVAILABLE -> new ProviderException.Unavailable(provider, modelId, message, null);
        case CANCELLED -> new ProviderException.Cancelled(provider, modelId, message, null);
      };
    }
  }
}
