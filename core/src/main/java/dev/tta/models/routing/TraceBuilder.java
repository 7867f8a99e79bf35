package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects one request's attempts, skips and notes. Synchronized: a stream's trace is read by the
 * thread that writes it to the client while a hedge or a close may add to it from another.
 */
final class TraceBuilder {

  private final TimeSource time;
  private final long startNanos;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<SkippedModel> skipped = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  TraceBuilder(TimeSource time, long startNanos) {
    this.time = time;
    this.startNanos = startNanos;
  }

  synchronized void skip(ModelKey model, String reason) {
    skipped.add(new SkippedModel(model, reason));
  }

  synchronized void failed(
      int number, ModelKey model, Duration took, ProviderException error, String decision) {
    attempts.add(
        new Attempt(
            number, model, took, Optional.of(error.errorClass()), error.getMessage(), decision));
  }

  synchronized void succeeded(int number, ModelKey model, Duration took, String decision) {
    attempts.add(new Attempt(number, model, took, Optional.empty(), "", decision));
  }

  /** Something an attempt did that is neither its success nor its failure. */
  synchronized void note(int number, ModelKey model, String text) {
    notes.add("attempt " + number + " (" + model + ") " + text);
  }

  synchronized RoutingTrace build(Optional<ModelKey> servedBy) {
    return new RoutingTrace(
        attempts, skipped, notes, servedBy, Duration.ofNanos(time.nanoTime() - startNanos));
  }
}
