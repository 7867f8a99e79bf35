package dev.tta.models.hardware;

import dev.tta.models.internal.Checks;

/**
 * How much memory and disk a local model needs (see {@link ModelMemoryEstimator} for the formula).
 *
 * @param ramBytes the working set, to run the model on the CPU: weights, KV cache, runtime overhead
 * @param vramBytes the same working set, to run every layer on a GPU; a separate field so that the
 *     recommender compares each memory with its own need
 * @param diskBytes the weights file
 */
public record MemoryEstimate(long ramBytes, long vramBytes, long diskBytes) {
  public MemoryEstimate {
    Checks.positive(ramBytes, "ram_bytes");
    Checks.positive(vramBytes, "vram_bytes");
    Checks.positive(diskBytes, "disk_bytes");
  }
}
