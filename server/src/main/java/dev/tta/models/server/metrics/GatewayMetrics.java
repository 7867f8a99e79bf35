package dev.tta.models.server.metrics;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.routing.RoutingEvent;
import dev.tta.models.routing.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's meters in Prometheus form. Per-call meters (duration, tokens, time to first token,
 * calls by outcome) come from the {@link PerformanceMonitor}, named after the OpenTelemetry GenAI
 * conventions; this class adds what only the gateway sees: requests by the model asked for and the
 * model that answered, retries, fallbacks and circuit states. Labels carry model and provider names
 * and error classes only, never keys or request content.
 */
public final class GatewayMetrics implements RoutingListener {

  public static final String REQUESTS = "mm.gateway.requests";
  public static final String REQUEST_DURATION = "mm.gateway.request.duration";
  public static final String RETRIES = "mm.retries";
  public static final String FALLBACKS = "mm.fallbacks";
  public static final String CIRCUIT_STATE = "mm.circuit.state";
  public static final String CONTINUATIONS = "mm.stream.continuations";
  public static final String HEDGES = "mm.hedges";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Set<ModelKey> watchedCircuits = ConcurrentHashMap.newKeySet();
  private final Map<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private volatile ModelCircuitBreakers breakers;

  public MeterRegistry registry() {
    return registry;
  }

  /** Publishes each called model's circuit state (0 closed, 1 half-open, 2 open). */
  public void watch(ModelCircuitBreakers breakers) {
    this.breakers = breakers;
  }

  /** The meters in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Counts one finished gateway request.
   *
   * @param requested what the client asked for: a model key, a route name or {@code auto}
   * @param served the model that answered, empty when none did
   * @param outcome {@code success}, or the error class that ended it
   */
  public void request(String requested, String served, String outcome, Duration took) {
    RequestMeters meters =
        requestMeters.computeIfAbsent(
            new RequestKey(requested, served, outcome), this::requestMeters);
    meters.count().increment();
    meters.duration().record(took);
  }

  /** What a finished request is counted by; its meters are registered once, on first use. */
  private record RequestKey(String requested, String served, String outcome) {}

  private record RequestMeters(Counter count, Timer duration) {}

  private RequestMeters requestMeters(RequestKey key) {
    Tags tags =
        Tags.of(
            PerformanceMonitor.REQUEST_MODEL,
            key.requested(),
            RESPONSE_MODEL,
            key.served(),
            PerformanceMonitor.OUTCOME,
            key.outcome());
    return new RequestMeters(
        Counter.builder(REQUESTS)
            .description("Requests the gateway answered")
            .tags(tags)
            .register(registry),
        Timer.builder(REQUEST_DURATION)
            .description("Time from request to the end of the answer, all attempts included")
            .tags(tags)
            .register(registry));
  }

  @Override
  public void on(RoutingEvent event) {
    switch (event) {
      case RoutingEvent.Retried r ->
          Counter.builder(RETRIES).tags(modelTags(r.model())).register(registry).increment();
      case RoutingEvent.FellBack f ->
          Counter.builder(FALLBACKS)
              .tags(modelTags(f.from()))
              .tag("to", f.to().toString())
              .tag(PerformanceMonitor.ERROR_TYPE, f.cause().wireName())
              .register(registry)
              .increment();
      case RoutingEvent.Continued c ->
          Counter.builder(CONTINUATIONS)
              .description("Streams that broke after output and went on on another call")
              .tags(modelTags(c.from()))
              .tag("to", c.to().toString())
              .tag(PerformanceMonitor.ERROR_TYPE, c.cause().wireName())
              .register(registry)
              .increment();
      case RoutingEvent.Hedged h ->
          Counter.builder(HEDGES)
              .description("Second candidates started beside a late first token")
              .tags(modelTags(h.primary()))
              .tag("to", h.hedge().toString())
              .register(registry)
              .increment();
      case RoutingEvent.AttemptSucceeded s -> watchCircuit(s.model());
      case RoutingEvent.AttemptFailed f -> watchCircuit(f.model());
      default -> {}
    }
  }

  private void watchCircuit(ModelKey model) {
    ModelCircuitBreakers current = breakers;
    if (current != null && watchedCircuits.add(model)) {
      Gauge.builder(CIRCUIT_STATE, () -> stateValue(current.state(model)))
          .description("Circuit state: 0 closed, 1 half-open, 2 open")
          .tags(modelTags(model))
          .register(registry);
    }
  }

  private static int stateValue(CircuitState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private static Tags modelTags(ModelKey model) {
    return Tags.of(
        PerformanceMonitor.PROVIDER_NAME, model.provider().value(),
        PerformanceMonitor.REQUEST_MODEL, model.modelId());
  }
}
