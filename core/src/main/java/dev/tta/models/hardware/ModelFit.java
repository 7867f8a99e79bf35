package dev.tta.models.hardware;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;

/**
 * Whether one local model fits this machine.
 *
 * @param model the model judged
 * @param requiredBytes its estimated memory need; 0 when unknown
 * @param availableBytes the memory it was judged against (available RAM, or the largest GPU's)
 * @param fits whether the need is within the safe share of that memory
 * @param reason the figures, for a person
 */
public record ModelFit(
    ModelInfo model, long requiredBytes, long availableBytes, boolean fits, String reason) {
  public ModelFit {
    Checks.notNull(model, "model");
    Checks.require(requiredBytes >= 0, "required_bytes", "must not be negative");
    Checks.require(availableBytes >= 0, "available_bytes", "must not be negative");
    Checks.notBlank(reason, "reason");
  }
}
