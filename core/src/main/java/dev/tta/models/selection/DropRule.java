package dev.tta.models.selection;

/**
 * The hard rules a model must pass to be ranked, in the order {@link ModelSelector} checks them; a
 * dropped model is reported with the first rule it breaks.
 */
public enum DropRule {
  /** Unusable now (circuit open, excluded after failures ...), as the snapshot says. */
  UNAVAILABLE,
  /** The estimated latency is above the requirement's maximum. */
  LATENCY,
  /** The effective price per token is above the requirement's maximum. */
  COST,
  /** The performance score (or its default) is below the requirement's minimum. */
  QUALITY,
  /**
   * Therapeutic safety is required and the model's score is too low or unknown on a local model.
   */
  SAFETY,
  /** The context window is smaller than the request needs. */
  CONTEXT,
  /** The model lacks a required capability. */
  CAPABILITIES,
  /** A local model needs more memory than the machine has available. */
  HARDWARE
}
