package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What routing one request did: the models it called in order with the outcome and timing of each,
 * the models it skipped and why, notes on what attempts did beside succeeding or failing (a refused
 * prefix, a hedge that lost), which model served the answer, and the total time.
 */
public record RoutingTrace(
    List<Attempt> attempts,
    List<SkippedModel> skipped,
    List<String> notes,
    Optional<ModelKey> servedBy,
    Duration total) {

  public RoutingTrace {
    attempts = Checks.listOf(attempts, "attempts");
    skipped = Checks.listOf(skipped, "skipped");
    notes = Checks.listOf(notes, "notes");
    Checks.notNull(servedBy, "served_by");
    Checks.notNull(total, "total");
  }

  /** Distinct models called. */
  public List<ModelKey> modelsTried() {
    return attempts.stream().map(Attempt::model).distinct().toList();
  }

  /** One line per attempt and skip, for logs and headers. */
  public String summary() {
    String tried =
        attempts.stream()
            .map(
                a ->
                    a.model()
                        + " "
                        + a.error().map(e -> e.wireName()).orElse("ok")
                        + " "
                        + a.duration().toMillis()
                        + "ms")
            .collect(Collectors.joining(", "));
    String skips =
        skipped.stream()
            .map(s -> s.model() + " (" + s.reason() + ")")
            .collect(Collectors.joining(", "));
    return "tried ["
        + tried
        + "]"
        + (skips.isEmpty() ? "" : " skipped [" + skips + "]")
        + (notes.isEmpty() ? "" : " notes [" + String.join("; ", notes) + "]")
        + " in "
        + total.toMillis()
        + "ms";
  }
}
