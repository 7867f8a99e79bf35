package dev.tta.models.selection;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.internal.Checks;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one selection: the models that pass every hard rule, best first, and those that do
 * not, each with the rule it broke.
 *
 * @param requirements what was asked for
 * @param ranked by score descending, then effective cost ascending, then model key ascending
 * @param dropped in catalog order
 */
public record Selection(
    ModelRequirements requirements, List<ScoredCandidate> ranked, List<DroppedModel> dropped) {

  public Selection {
    Checks.notNull(requirements, "requirements");
    ranked = Checks.listOf(ranked, "ranked");
    Checks.notNull(dropped, "dropped");
    // The selector's own list is immutable and writes its details only when read.
    dropped = dropped instanceof Rejections ? dropped : Checks.listOf(dropped, "dropped");
  }

  public Optional<ScoredCandidate> best() {
    return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }

  /**
   * Readable text: the requirements, every ranked candidate with every score term and how it was
   * derived, and every dropped model with its rule and the values that broke it.
   */
  public String explain() {
    return Explanation.of(this);
  }

  /** The requirements in words, as the first line of {@link #explain()} states them. */
  public String requirementsText() {
    return Explanation.requirements(requirements);
  }
}
