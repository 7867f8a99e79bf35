package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.internal.Checks;
import java.util.Locale;

/**
 * A bonus for a model family known to suit a task, as the original's hard-coded table had.
 *
 * @param task the task the bonus applies to
 * @param modelPattern matched case-insensitively as a substring of the model's id or name
 * @param bonus added to the score when it matches; may be negative to penalise a family
 */
public record TaskAffinity(TaskType task, String modelPattern, double bonus) {

  public TaskAffinity {
    Checks.notNull(task, "task");
    Checks.notBlank(modelPattern, "model_pattern");
    modelPattern = modelPattern.trim();
    Checks.require(Double.isFinite(bonus), "bonus", "must be a finite number, was " + bonus);
  }

  /** Whether the pattern occurs in the model's id or name, ignoring case. */
  public boolean matches(ModelInfo model) {
    String pattern = modelPattern.toLowerCase(Locale.ROOT);
    return model.id().toLowerCase(Locale.ROOT).contains(pattern)
        || model.name().toLowerCase(Locale.ROOT).contains(pattern);
  }
}
