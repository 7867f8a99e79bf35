package dev.tta.models.management;

import java.util.List;

/**
 * The models recommended for a task, best first.
 *
 * @param notFitting local models the selector accepted but the hardware recommender judged too big
 *     for this machine (its safety margin is stricter than the selector's drop rule)
 */
public record Recommendations(
    String taskType, List<Recommendation> recommended, List<Recommendation> notFitting) {

  public Recommendations {
    recommended = List.copyOf(recommended);
    notFitting = List.copyOf(notFitting);
  }
}
