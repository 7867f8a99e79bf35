package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;

/**
 * The single stream of what routing does, read by metrics, logs and tests through a {@link
 * RoutingListener}. Events carry no request content and no credentials.
 */
public sealed interface RoutingEvent {

  Instant at();

  /** A call to a model is about to start. */
  record AttemptStarted(Instant at, ModelKey model, int attempt) implements RoutingEvent {}

  /** A call succeeded (for a stream: it finished). */
  record AttemptSucceeded(Instant at, ModelKey model, int attempt, Duration duration)
      implements RoutingEvent {}

  /** A call failed, and what the policy decided. */
  record AttemptFailed(Instant at, ModelKey model, int attempt, ErrorClass error, String decision)
      implements RoutingEvent {}

  /**
   * A call's measurements were recorded in the monitor (every ended attempt but a cancelled one):
   * what a history keeps.
   *
   * @param attempt the call's number in its request, 1 for the first
   * @param origin the request's
   */
  record CallRecorded(Instant at, CallRecord call, int attempt, RequestOrigin origin)
      implements RoutingEvent {}

  /** The same model is retried after a delay. */
  record Retried(Instant at, ModelKey model, Duration delay) implements RoutingEvent {}

  /** Routing moved from a failed model to another one. */
  record FellBack(Instant at, ModelKey from, ModelKey to, ErrorClass cause)
      implements RoutingEvent {}

  /**
   * A stream that broke after output reached the caller goes on on {@code to} (the same model when
   * it is the only one left), with the text so far as a prefix or by restarting and checking the
   * regenerated text.
   */
  record Continued(Instant at, ModelKey from, ModelKey to, ErrorClass cause, String how)
      implements RoutingEvent {}

  /** A second candidate was started beside a first one whose first token was late. */
  record Hedged(Instant at, ModelKey primary, ModelKey hedge, Duration after)
      implements RoutingEvent {}

  /** A candidate was not called. */
  record Skipped(Instant at, ModelKey model, String reason) implements RoutingEvent {}

  /** A request was served. */
  record Served(Instant at, RoutingTrace trace) implements RoutingEvent {}

  /** A request could not be served. */
  record Failed(Instant at, RoutingTrace trace, String reason) implements RoutingEvent {}
}
