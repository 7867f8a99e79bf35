package dev.tta.models.server.config;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.routing.AttemptTimeouts;
import dev.tta.models.routing.CandidateSource;
import java.util.List;

/**
 * A named route, usable as a model name.
 *
 * @param name the name clients send as {@code model}
 * @param requirements what a model must meet (and the preferences that rank it)
 * @param models an explicit ordered chain; empty for a requirement-based route, where the selector
 *     ranks every model that qualifies
 * @param timeouts {@code timeouts}: per-attempt limits of this route, over each provider's
 * @param hedge {@code hedge}: whether a stream whose first token is late also starts the next
 *     candidate
 */
public record RouteSettings(
    String name,
    ModelRequirements requirements,
    List<ModelKey> models,
    AttemptTimeouts timeouts,
    boolean hedge) {

  public RouteSettings {
    models = List.copyOf(models);
  }

  public CandidateSource source() {
    return models.isEmpty() ? CandidateSource.byRequirements() : CandidateSource.chain(models);
  }
}
