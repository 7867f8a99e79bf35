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
 */
public record RouteRequest(
    ChatRequest chat,
    ModelRequirements requirements,
    CandidateSource source,
    Optional<Duration> deadline) {

  public RouteRequest {
    Checks.notNull(chat, "chat");
    Checks.notNull(requirements, "requirements");
    Checks.notNull(source, "source");
    Checks.notNull(deadline, "deadline");
    deadline.ifPresent(
        d -> Checks.require(!d.isNegative() && !d.isZero(), "deadline", "must be positive"));
  }

  public static RouteRequest of(
      ChatRequest chat, ModelRequirements requirements, CandidateSource source) {
    return new RouteRequest(chat, requirements, source, Optional.empty());
  }

  public RouteRequest withDeadline(Duration deadline) {
    return new RouteRequest(chat, requirements, source, Optional.of(deadline));
  }
}
