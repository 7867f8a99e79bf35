package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;

/**
 * A model that selection did not rank.
 *
 * @param model the model
 * @param rule the first hard rule it breaks
 * @param detail the values that broke it, for example {@code effective cost 0.0002 > max 0.0001}
 */
public record DroppedModel(ModelInfo model, DropRule rule, String detail) {

  public DroppedModel {
    Checks.notNull(model, "model");
    Checks.notNull(rule, "rule");
    Checks.notBlank(detail, "detail");
  }
}
