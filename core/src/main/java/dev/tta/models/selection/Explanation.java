package dev.tta.models.selection;

import static dev.tta.models.selection.Format.number;

import dev.tta.models.catalog.ModelRequirements;
import java.util.ArrayList;
import java.util.List;

/** Writes {@link Selection#explain()}. */
final class Explanation {

  private Explanation() {}

  static String of(Selection selection) {
    StringBuilder text = new StringBuilder();
    text.append("Requirements: ").append(requirements(selection.requirements())).append('\n');
    List<ScoredCandidate> ranked = selection.ranked();
    text.append("Ranked (").append(ranked.size()).append("):\n");
    for (int i = 0; i < ranked.size(); i++) {
      ScoredCandidate candidate = ranked.get(i);
      text.append("  ")
          .append(i + 1)
          .append(". ")
          .append(candidate.model().key())
          .append(" score ")
          .append(number(candidate.score()))
          .append('\n');
      for (ScoreTerm term : candidate.terms()) {
        text.append("       ")
            .append(term.name())
            .append(' ')
            .append(number(term.value()))
            .append(" (")
            .append(term.derivation())
            .append(")\n");
      }
    }
    List<DroppedModel> dropped = selection.dropped();
    text.append("Dropped (").append(dropped.size()).append("):\n");
    for (DroppedModel model : dropped) {
      text.append("  ")
          .append(model.model().key())
          .append(' ')
          .append(model.rule())
          .append(": ")
          .append(model.detail())
          .append('\n');
    }
    return text.toString();
  }

  static String requirements(ModelRequirements requirements) {
    List<String> parts = new ArrayList<>();
    parts.add("task " + requirements.taskType().wireName());
    requirements.maxLatencyMs().ifPresent(ms -> parts.add("max latency " + ms + " ms"));
    requirements.minQualityScore().ifPresent(score -> parts.add("min quality " + number(score)));
    requirements
        .maxCostPerToken()
        .ifPresent(cost -> parts.add("max cost " + number(cost) + " per token"));
    if (!requirements.requiredCapabilities().isEmpty()) {
      parts.add("capabilities " + requirements.requiredCapabilities());
    }
    if (requirements.contextLengthNeeded() > 0) {
      parts.add("context " + requirements.contextLengthNeeded() + " tokens");
    }
    parts.add(
        requirements.therapeuticSafetyRequired()
            ? "therapeutic safety required"
            : "therapeutic safety not required");
    if (requirements.preferFree()) {
      parts.add("prefer free");
    }
    if (requirements.preferLocal()) {
      parts.add("prefer local");
    }
    return String.join(", ", parts);
  }
}
