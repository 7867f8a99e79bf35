package dev.tta.models.management;

import java.util.Optional;

/**
 * One ranked model for a task.
 *
 * @param rank 1 for the best
 * @param hardwareFit for a local model when the machine's hardware is known; empty otherwise
 */
public record Recommendation(
    int rank, ModelSummary model, double score, Optional<HardwareFit> hardwareFit) {

  /** Whether a local model fits this machine, with the figures. */
  public record HardwareFit(long requiredBytes, long availableBytes, boolean fits, String reason) {}
}
