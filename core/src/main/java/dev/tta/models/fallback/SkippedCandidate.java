package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.internal.Checks;

/**
 * A candidate the policy did not pick, and why (for the routing trace).
 *
 * @param model the candidate
 * @param reason why it may not be tried now, in words an operator can act on
 */
public record SkippedCandidate(ModelKey model, String reason) {

  public SkippedCandidate {
    Checks.notNull(model, "model");
    Checks.notBlank(reason, "reason");
  }
}
