package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.Serial;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One Resilience4j circuit breaker per deployment, on an injected clock: the one mechanism that
 * takes a deployment out and brings it back. It opens after repeated failures; after its open wait
 * (growing with each failed probe, see {@link CircuitBreakerSettings#openWait}) one real request
 * goes through as a probe, whose success closes it. Resilience4j reads the injected clock when a
 * circuit opens and on every {@link #tryAcquire} while it is open, so the open-to-half-open step
 * happens on the first {@code tryAcquire} after the wait, with no timer thread; tests advance a
 * {@code ManualTimeSource} instead of sleeping. Only {@link DeploymentFaults} count as failures; a
 * request problem gives its permission back, as Resilience4j does for an ignored exception. Slow
 * calls never open a circuit: a slow but working model is for the selector to rank lower, not for
 * the breaker to cut off.
 */
public final class ModelCircuitBreakers {

  /** What a counted failure is recorded as; never thrown, so it carries no stack trace. */
  private static final class DeploymentFault extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    DeploymentFault(ModelKey model, ErrorClass error) {
      super(model + ": " + error.wireName(), null, false, false);
    }
  }

  /** When an open circuit lets its probe through, and how many times in a row it has opened. */
  private record Opened(Instant at, Instant until, int times) {}

  private final TimeSource time;
  private final CircuitBreakerSettings settings;
  private final CircuitBreakerRegistry registry;
  private final ConcurrentMap<ModelKey, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentMap<ModelKey, Opened> opened = new ConcurrentHashMap<>();
  private final List<BiConsumer<ModelKey, Instant>> openingListeners = new CopyOnWriteArrayList<>();

  /** Set while a circuit is held open for another replica, whose own opening is already known. */
  private final ThreadLocal<Boolean> mirroring = ThreadLocal.withInitial(() -> false);

  public ModelCircuitBreakers(CircuitBreakerSettings settings, TimeSource time) {
    this.settings = Checks.notNull(settings, "settings");
    this.time = Checks.notNull(time, "time");
    this.registry =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindow(
                    settings.slidingWindowSize(),
                    settings.minimumCalls(),
                    SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.failureRateThreshold())
                .waitIntervalFunctionInOpenState(
                    opens -> settings.openWait(Math.max(1, opens)).toMillis())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .slowCallDurationThreshold(Duration.ofNanos(Long.MAX_VALUE))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(time.withZone(ZoneOffset.UTC))
                .build());
  }

  /**
   * Whether a call to {@code model} may go ahead now; false while its circuit is open. After the
   * wait in the open state, lets the half-open probes through. A permission acquired must be ended
   * by {@link #onSuccess}, {@link #onFailure} or {@link #release}, or a half-open circuit waits for
   * its probe forever.
   */
  public boolean tryAcquire(ModelKey model) {
    return breaker(model).tryAcquirePermission();
  }

  public void onSuccess(ModelKey model, Duration duration) {
    breaker(model).onSuccess(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Counts a {@link DeploymentFaults} class as a failure; releases the permission otherwise. */
  public void onFailure(ModelKey model, Duration duration, ErrorClass error) {
    CircuitBreaker breaker = breaker(model);
    if (DeploymentFaults.attributable(error)) {
      breaker.onError(duration.toNanos(), TimeUnit.NANOSECONDS, new DeploymentFault(model, error));
    } else {
      breaker.releasePermission();
    }
  }

  /**
   * Opens a closed circuit now, whatever its window says: an exclusion (too many failures within
   * its window) takes a deployment out this way, so that the circuit's probe is what brings it
   * back. A circuit already open or probing is left as it is.
   */
  public void holdOpen(ModelKey model) {
    CircuitBreaker breaker = breaker(model);
    if (breaker.getState() == CircuitBreaker.State.CLOSED) {
      breaker.transitionToOpenState();
    }
  }

  /**
   * Opens the circuit until {@code until}, when its next probe goes through: how a replica honours
   * a circuit that another replica opened, with the same probe time. A circuit already open until
   * then or later, or probing, is left as it is. The opening is not told to the {@link #onOpened}
   * listeners: it mirrors one that was told elsewhere.
   */
  public void holdOpenUntil(ModelKey model, Instant until) {
    Checks.notNull(until, "until");
    CircuitBreaker breaker = breaker(model);
    Opened current = opened.get(model);
    boolean openLongEnough =
        breaker.getState() == CircuitBreaker.State.OPEN
            && current != null
            && !current.until().isBefore(until);
    if (openLongEnough
        || breaker.getState() == CircuitBreaker.State.HALF_OPEN
        || !until.isAfter(time.instant())) {
      return;
    }
    mirroring.set(true);
    try {
      breaker.transitionToOpenStateUntil(until);
      int times = current == null ? 1 : current.times();
      opened.put(model, new Opened(time.instant(), until, times));
    } finally {
      mirroring.set(false);
    }
  }

  /**
   * Tells {@code listener} of every circuit that opens because of this process's calls or {@link
   * #holdOpen}, with the instant its probe goes through; called on the thread that opened it, so it
   * must be quick.
   */
  public void onOpened(BiConsumer<ModelKey, Instant> listener) {
    openingListeners.add(Checks.notNull(listener, "listener"));
  }

  /** Gives back a permission that was acquired but not used (the call was cancelled first). */
  public void release(ModelKey model) {
    breaker(model).releasePermission();
  }

  /**
   * The circuit's state now. An open circuit whose wait is over reads {@link
   * CircuitState#HALF_OPEN}: the next {@link #tryAcquire} lets a probe through. A model never
   * called is closed.
   */
  public CircuitState state(ModelKey model) {
    CircuitBreaker breaker = breakers.get(model);
    if (breaker == null) {
      return CircuitState.CLOSED;
    }
    return switch (breaker.getState()) {
      case OPEN -> {
        Opened open = opened.get(model);
        yield open != null && time.instant().isAfter(open.until())
            ? CircuitState.HALF_OPEN
            : CircuitState.OPEN;
      }
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.CLOSED;
    };
  }

  /** The models whose circuit refuses calls now (open, with the wait not yet over), sorted. */
  public Set<ModelKey> openCircuits() {
    Set<ModelKey> open = new TreeSet<>();
    for (ModelKey model : breakers.keySet()) {
      if (state(model) == CircuitState.OPEN) {
        open.add(model);
      }
    }
    return Collections.unmodifiableSet(open);
  }

  /** When the open circuit of {@code model} lets its next probe through; empty unless open. */
  public Optional<Instant> probeAfter(ModelKey model) {
    Opened open = opened.get(model);
    CircuitBreaker breaker = breakers.get(model);
    return open != null && breaker != null && breaker.getState() == CircuitBreaker.State.OPEN
        ? Optional.of(open.until())
        : Optional.empty();
  }

  /**
   * When the circuit of {@code model} last opened (a failed probe opens it again); empty unless it
   * is open or probing.
   */
  public Optional<Instant> openedAt(ModelKey model) {
    Opened open = opened.get(model);
    return open != null && state(model) != CircuitState.CLOSED
        ? Optional.of(open.at())
        : Optional.empty();
  }

  /** Closes the circuit and forgets its window. */
  public void reset(ModelKey model) {
    CircuitBreaker breaker = breakers.get(model);
    if (breaker != null) {
      breaker.reset();
    }
  }

  /** The underlying registry, for binding metrics (for example Micrometer's). */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  private CircuitBreaker breaker(ModelKey model) {
    Checks.notNull(model, "model");
    return breakers.computeIfAbsent(
        model,
        key -> {
          CircuitBreaker breaker = registry.circuitBreaker(key.toString());
          breaker
              .getEventPublisher()
              .onStateTransition(event -> onTransition(key, event.getStateTransition()));
          return breaker;
        });
  }

  /**
   * Mirrors Resilience4j's count of consecutive openings (1 from closed, one more from each failed
   * probe), which its wait function is given, so that {@link #state} knows when the wait is over.
   */
  private void onTransition(ModelKey model, CircuitBreaker.StateTransition transition) {
    switch (transition.getToState()) {
      case OPEN -> {
        // closing (a successful probe or a reset) forgets the count, so from closed it is 1
        int times = opened.getOrDefault(model, new Opened(Instant.MIN, Instant.MIN, 0)).times() + 1;
        Instant now = time.instant();
        Instant until = now.plus(settings.openWait(times));
        opened.put(model, new Opened(now, until, times));
        if (!mirroring.get()) {
          openingListeners.forEach(listener -> listener.accept(model, until));
        }
      }
      case HALF_OPEN -> {
        // the count carries over to the next opening, if the probe fails
      }
      default -> opened.remove(model);
    }
  }
}
