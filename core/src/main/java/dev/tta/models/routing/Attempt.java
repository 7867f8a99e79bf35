package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.util.Optional;

/**
 * One call to one model while routing a request.
 *
 * @param number 1 for the first attempt of the request
 * @param model the deployment called
 * @param duration how long the call took
 * @param error empty when it succeeded
 * @param message the failure's message (never credentials), empty on success
 * @param decision what the router did next: {@code served}, {@code retry same after 500 ms}, {@code
 *     try next: ...}, {@code stop: ...}
 */
public record Attempt(
    int number,
    ModelKey model,
    Duration duration,
    Optional<ErrorClass> error,
    String message,
    String decision) {

  public boolean succeeded() {
    return error.isEmpty();
  }
}
