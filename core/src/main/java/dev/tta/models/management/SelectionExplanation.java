package dev.tta.models.management;

import java.util.List;

/**
 * A selection for given requirements, structured, with its text form ({@code Selection.explain()}).
 *
 * @param requirements the requirements in words
 */
public record SelectionExplanation(
    String requirements, List<Ranked> ranked, List<Dropped> dropped, String text) {

  public SelectionExplanation {
    ranked = List.copyOf(ranked);
    dropped = List.copyOf(dropped);
  }

  /** A model that passed every rule, with its score and how each term of it came about. */
  public record Ranked(int rank, String model, double score, List<Term> terms) {}

  public record Term(String name, double value, String derivation) {}

  /** A model that broke a rule; {@code rule} is the rule's lower-case name. */
  public record Dropped(String model, String rule, String detail) {}
}
