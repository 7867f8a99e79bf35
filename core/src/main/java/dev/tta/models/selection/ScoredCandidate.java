package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.util.List;

/**
 * A model that passed every hard rule, with its score.
 *
 * @param model the model
 * @param score the sum of the terms' values
 * @param terms every term in a fixed order (performance, safety, cost, task, affinity, free, local,
 *     hardware, history), including those that add nothing
 */
public record ScoredCandidate(ModelInfo model, double score, List<ScoreTerm> terms) {

  public ScoredCandidate {
    Checks.notNull(model, "model");
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score: must be a finite number, was " + score);
    }
    Checks.notNull(terms, "terms");
    // The selector's own term list is immutable and writes its derivations only when read.
    terms = terms instanceof Evaluation ? terms : Checks.listOf(terms, "terms");
  }

  /** The term of that name (one of the {@link ScoreTerm} constants). */
  public ScoreTerm term(String name) {
    for (ScoreTerm term : terms) {
      if (term.name().equals(name)) {
        return term;
      }
    }
    throw new IllegalArgumentException("name: no term named '" + name + "'");
  }
}
