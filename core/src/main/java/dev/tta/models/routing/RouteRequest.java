package dev.tta.models.routing;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * One request to route.
 *
 * @param chat the call itself
 * @param requirements hard requirements and preferences; applied to every source of candidates
 * @param source where candidates come from
 * @param deadline the end-to-end time allowed across all attempts; empty for the configured one
 * @param timeouts per-attempt limits of this request (a route's), over each provider's own
 * @param hedge whether a stream whose first token is late on one candidate also starts the next
 *     one, the first to answer winning (see {@link ModelRouter#stream})
 * @param cancellation how the caller stops the request from another thread
 * @param origin who asked and for what, recorded with every call of the request
 */
public record RouteRequest(
    ChatRequest chat,
    ModelRequirements requirements,
    CandidateSource source,
    Optional<Duration> deadline,
    AttemptTimeouts timeouts,
    boolean hedge,
    Cancellation cancellation,
    RequestOrigin origin) {

  public RouteRequest {
    Checks.notNull(chat, "chat");
    Checks.notNull(requirements, "requirements");
    Checks.notNull(source, "source");
    Checks.notNull(deadline, "deadline");
    deadline.ifPresent(
        d -> Checks.require(!d.isNegative() && !d.isZero(), "deadline", "must be positive"));
    Checks.notNull(timeouts, "timeouts");
    Checks.notNull(cancellation, "cancellation");
    Checks.notNull(origin, "origin");
  }

  public static RouteRequest of(
      ChatRequest chat, ModelRequirements requirements, CandidateSource source) {
    return new RouteRequest(
        chat,
        requirements,
        source,
        Optional.empty(),
        AttemptTimeouts.INHERIT,
        false,
        Cancellation.never(),
        RequestOrigin.UNNAMED);
  }

  public RouteRequest withDeadline(Duration deadline) {
    return new RouteRequest(
        chat, requirements, source, Optional.of(deadline), timeouts, hedge, cancellation, origin);
  }

  public RouteRequest withTimeouts(AttemptTimeouts timeouts) {
    return new RouteRequest(
        chat, requirements, source, deadline, timeouts, hedge, cancellation, origin);
  }

  public RouteRequest withHedge(boolean hedge) {
    return new RouteRequest(
        chat, requirements, source, deadline, timeouts, hedge, cancellation, origin);
  }

  public RouteRequest withOrigin(RequestOrigin origin) {
    return new RouteRequest(
        chat, requirements, source, deadline, timeouts, hedge, cancellation, origin);
  }

  public RouteRequest withCancellation(Cancellation cancellation) {
    return new RouteRequest(
        chat, requirements, source, deadline, timeouts, hedge, cancellation, origin);
  }
}
