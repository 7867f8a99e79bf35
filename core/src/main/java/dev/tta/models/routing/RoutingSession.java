package dev.tta.models.routing;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.FailureContext;
import dev.tta.models.fallback.FallbackDecision;
import dev.tta.models.fallback.FallbackState;
import dev.tta.models.fallback.SkippedCandidate;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The routing loop of one request: the candidates left, the model being tried, the attempts made,
 * the trace, and the one deadline. {@link #serve} calls candidates until one succeeds or the policy
 * stops; a stream that breaks after its first token comes back through {@link #afterFailure} and
 * {@link #serve} again to be continued, so that retries, fallbacks and continuations share one
 * count of attempts, one deadline and one trace. Used by one thread at a time (the request's, then
 * the one reading its stream); {@link #cancel} may come from any.
 */
final class RoutingSession {

  /** A second candidate claimed to hedge a late first token: its attempt and its instance. */
  record Hedge(AttemptScope scope, ModelInstance instance) {}

  private final ModelRouter router;
  private final RouteRequest request;
  private final long deadlineNanos;
  private final Duration budget;
  private final TraceBuilder trace;
  private final Map<ModelKey, ModelStats> stats;
  private final List<ModelInfo> remaining;
  private final Cancellation cancellation = new Cancellation();
  private final Cancellation.Registration callerCancellation;
  private final AtomicBoolean failureReported = new AtomicBoolean();
  private ModelInfo current;
  private int attemptsOnCurrent;
  private int attempts;
  private ProviderException lastError;

  RoutingSession(
      ModelRouter router,
      RouteRequest request,
      long startNanos,
      Duration budget,
      TraceBuilder trace,
      Map<ModelKey, ModelStats> stats,
      List<ModelInfo> candidates) {
    this.router = router;
    this.request = request;
    this.budget = budget;
    this.deadlineNanos = startNanos + budget.toNanos();
    this.trace = trace;
    this.stats = stats;
    this.remaining = new ArrayList<>(candidates);
    this.current = remaining.remove(0);
    this.callerCancellation =
        request
            .cancellation()
            .onCancel(() -> cancel(request.cancellation().reason().orElseThrow()));
  }

  RouteRequest request() {
    return request;
  }

  ModelRouter router() {
    return router;
  }

  TraceBuilder trace() {
    return trace;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  Duration budget() {
    return budget;
  }

  /** What is left of the deadline now; zero once it has passed. */
  Duration timeLeft() {
    return Duration.ofNanos(Math.max(0, deadlineNanos - router.time().nanoTime()));
  }

  /** The request's limits over those of the model's provider. */
  AttemptTimeouts timeoutsFor(ModelInfo model) {
    return request.timeouts().over(router.timeoutsFor(model));
  }

  /** Stops the request: wakes the loop, ends the attempt in flight, closes an open stream. */
  void cancel(String why) {
    cancellation.cancel(why);
  }

  boolean cancelled() {
    return cancellation.isCancelled();
  }

  /**
   * Runs {@code action} (closing an upstream stream, say) if the request is cancelled meanwhile.
   */
  Cancellation.Registration onCancel(Runnable action) {
    return cancellation.onCancel(action);
  }

  /**
   * Reports the request as failed: once, although a stream's end and the loop's stop, or a close
   * racing either, may each come to report it.
   */
  void reportFailed(RoutingTrace failed, String reason) {
    if (failureReported.compareAndSet(false, true)) {
      router.emit(new RoutingEvent.Failed(router.time().instant(), failed, reason));
    }
  }

  /** Lets go of the caller's cancellation once the request is over. */
  void finish() {
    callerCancellation.close();
  }

  /**
   * Calls candidates, from the current one, until one succeeds.
   *
   * @throws RoutingException when the policy stops, the candidates run out or the deadline passes
   */
  <T> T serve(ModelCall<T> call) {
    Thread caller = Thread.currentThread();
    Cancellation.Registration interrupt = cancellation.onCancel(caller::interrupt);
    try {
      return loop(call);
    } finally {
      interrupt.close();
      if (cancelled()) {
        // the interrupt was ours, to end a blocking call; the caller's thread goes on without it
        Thread.interrupted();
      }
    }
  }

  private <T> T loop(ModelCall<T> call) {
    while (true) {
      if (cancelled()) {
        throw stopped(cancelledFailure(current), "cancelled: " + cancellation.reason().orElse(""));
      }
      if (!router.breakers().tryAcquire(current.key())) {
        skip(current.key(), "circuit open");
        if (remaining.isEmpty()) {
          throw exhausted("every remaining candidate's circuit is open");
        }
        current = remaining.remove(0);
        attemptsOnCurrent = 0;
        continue;
      }
      if (deadlineNanos - router.time().nanoTime() <= 0) {
        router.breakers().release(current.key());
        String why = "the request deadline of " + budget.toMillis() + " ms has passed";
        lastError = new ProviderException.Timeout(current.providerId(), current.id(), why, null);
        throw exhausted(why);
      }
      attemptsOnCurrent++;
      attempts++;
      int number = attempts;
      ModelInfo called = current;
      router.emit(new RoutingEvent.AttemptStarted(router.time().instant(), called.key(), number));
      long start = router.time().nanoTime();
      ProviderException failure;
      try {
        ModelInstance instance = router.providerOf(called).load(called.id(), LoadOptions.DEFAULTS);
        return call.call(new AttemptScope(this, called, number, start), instance);
      } catch (ProviderException e) {
        failure = e;
      } catch (ContinuationImpossible e) {
        // the model answered: not its failure, and nothing to fall back for
        router.breakers().release(called.key());
        trace.note(number, called.key(), e.getMessage());
        throw e;
      } catch (RuntimeException e) {
        failure = ModelRouter.unexpected(called, e);
      }
      if (cancelled() && !(failure instanceof ProviderException.Cancelled)) {
        failure = cancelledFailure(called);
      }
      afterFailure(called, number, failure, elapsedSince(start), false);
    }
  }

  /**
   * Records a failed attempt and does what the policy decides: waits to retry the same model, moves
   * to the next candidate, or stops.
   *
   * @throws RoutingException.AllCandidatesFailed when the policy stops
   */
  void afterFailure(
      ModelInfo model, int number, ProviderException failure, Duration took, boolean midStream) {
    lastError = failure;
    router.recordFailure(model, number, request, failure, took);
    FallbackDecision decision =
        router
            .policy()
            .decide(
                new FailureContext(
                    model,
                    failure,
                    attemptsOnCurrent,
                    attempts,
                    timeLeft(),
                    List.copyOf(remaining),
                    router.fallbackState(stats),
                    took,
                    midStream));
    String described = describe(decision);
    trace.failed(number, model.key(), took, failure, described);
    router.emit(
        new RoutingEvent.AttemptFailed(
            router.time().instant(), model.key(), number, failure.errorClass(), described));
    switch (decision) {
      case FallbackDecision.RetrySame retry -> {
        router.emit(new RoutingEvent.Retried(router.time().instant(), model.key(), retry.delay()));
        try {
          router.sleeper().sleep(retry.delay());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw stopped(cancelledFailure(model), "interrupted while waiting to retry");
        }
      }
      case FallbackDecision.TryNext next -> {
        skipAll(next.skipped());
        remaining.remove(next.model());
        router.emit(
            new RoutingEvent.FellBack(
                router.time().instant(), model.key(), next.model().key(), failure.errorClass()));
        current = next.model();
        attemptsOnCurrent = 0;
      }
      case FallbackDecision.Stop stop -> {
        skipAll(stop.skipped());
        throw stopped(failure, stop.reason());
      }
    }
  }

  /** How long to give a first token before hedging; empty when the request does not hedge. */
  Optional<Duration> hedgeAfter(ModelInfo model) {
    return request.hedge() ? router.timeToFirstTokenP95(model, stats) : Optional.empty();
  }

  /**
   * Takes the next usable candidate out of the remaining ones for a hedge beside {@code primary},
   * counting it as an attempt; empty when none is usable now.
   */
  Optional<Hedge> claimHedge(ModelInfo primary, Duration after) {
    FallbackState state = router.fallbackState(stats);
    for (Iterator<ModelInfo> it = remaining.iterator(); it.hasNext(); ) {
      ModelInfo candidate = it.next();
      if (router.policy().unusable(candidate, state).isPresent()
          || !router.breakers().tryAcquire(candidate.key())) {
        continue;
      }
      it.remove();
      attempts++;
      long start = router.time().nanoTime();
      AttemptScope scope = new AttemptScope(this, candidate, attempts, start);
      router.emit(
          new RoutingEvent.AttemptStarted(router.time().instant(), candidate.key(), attempts));
      router.emit(
          new RoutingEvent.Hedged(router.time().instant(), primary.key(), candidate.key(), after));
      try {
        return Optional.of(
            new Hedge(
                scope, router.providerOf(candidate).load(candidate.id(), LoadOptions.DEFAULTS)));
      } catch (ProviderException e) {
        legFailed(scope, e);
      }
    }
    return Optional.empty();
  }

  /** Records a hedged attempt that failed while the other one goes on; the policy is not asked. */
  void legFailed(AttemptScope scope, ProviderException failure) {
    endLeg(scope, failure, "hedged: the other attempt goes on");
  }

  /**
   * Records a hedged attempt stopped because the request was cancelled while both attempts waited.
   */
  void legCancelled(AttemptScope scope) {
    endLeg(scope, cancelledFailure(scope.model()), "stop: cancelled");
  }

  private void endLeg(AttemptScope scope, ProviderException failure, String decision) {
    Duration took = elapsedSince(scope.startNanos());
    router.recordFailure(scope.model(), scope.number(), request, failure, took);
    trace.failed(scope.number(), scope.model().key(), took, failure, decision);
    router.emit(
        new RoutingEvent.AttemptFailed(
            router.time().instant(),
            scope.model().key(),
            scope.number(),
            failure.errorClass(),
            decision));
  }

  /** Records a hedged attempt stopped because the other one produced its first token first. */
  void legLost(AttemptScope loser, AttemptScope winner) {
    endLeg(
        loser,
        new ProviderException.Cancelled(
            loser.model().providerId(),
            loser.model().id(),
            "stopped: " + winner.model().key() + " produced its first token first",
            null),
        "stop: " + winner.model().key() + " produced its first token first");
  }

  /** The hedge that produced the first token serves from now on. */
  void servedBy(AttemptScope winner) {
    if (!winner.model().key().equals(current.key())) {
      current = winner.model();
      attemptsOnCurrent = 1;
    }
  }

  Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(router.time().nanoTime() - startNanos);
  }

  /** The trace so far, marking {@code servedBy} (or nothing) as the model that served. */
  RoutingTrace traceServedBy(Optional<ModelKey> servedBy) {
    return trace.build(servedBy);
  }

  private RoutingException stopped(ProviderException failure, String reason) {
    lastError = failure;
    RoutingTrace failed = trace.build(Optional.empty());
    reportFailed(failed, reason);
    return new RoutingException.AllCandidatesFailed(reason, failed, failure);
  }

  private RoutingException exhausted(String why) {
    RoutingTrace failed = trace.build(Optional.empty());
    reportFailed(failed, why);
    if (lastError == null) {
      return new RoutingException.NoEligibleModel(failed);
    }
    return new RoutingException.AllCandidatesFailed(why, failed, lastError);
  }

  private ProviderException.Cancelled cancelledFailure(ModelInfo model) {
    return new ProviderException.Cancelled(
        model.providerId(),
        model.id(),
        "the request was cancelled: " + cancellation.reason().orElse("interrupted"),
        null);
  }

  private void skip(ModelKey model, String reason) {
    trace.skip(model, reason);
    router.emit(new RoutingEvent.Skipped(router.time().instant(), model, reason));
  }

  private void skipAll(List<SkippedCandidate> skipped) {
    for (SkippedCandidate candidate : skipped) {
      skip(candidate.model(), candidate.reason());
      remaining.removeIf(m -> m.key().equals(candidate.model()));
    }
  }

  private static String describe(FallbackDecision decision) {
    return switch (decision) {
      case FallbackDecision.RetrySame retry ->
          "retry same after " + retry.delay().toMillis() + " ms: " + retry.reason();
      case FallbackDecision.TryNext next -> "try next " + next.model().key() + ": " + next.reason();
      case FallbackDecision.Stop stop -> "stop: " + stop.reason();
    };
  }
}
