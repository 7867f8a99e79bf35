package dev.tta.models.fallback;

/**
 * How the next model is chosen among the usable remaining candidates when the policy moves on. Ties
 * always keep the selector's rank order.
 */
public enum FallbackStrategy {
  /** The selector's rank order as given: the best-scoring remaining model first. */
  PERFORMANCE,
  /** The lowest {@code effectiveCostPerToken} first. */
  COST,
  /**
   * The highest measured success rate first (an unmeasured model counts as 1.0 but ranks after
   * measured models with the same rate), then the lower measured p50 latency.
   */
  AVAILABILITY
}
