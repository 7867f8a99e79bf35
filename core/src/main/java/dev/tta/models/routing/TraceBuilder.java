package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects one request's attempts and skips; owned by the routing thread of that request. */
final class TraceBuilder {

  private final TimeSource time;
  private final long startNanos;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<SkippedModel> skipped = new ArrayList<>();

  TraceBuilder(TimeSource time, long startNanos) {
    this.time = time;
    this.startNanos = startNanos;
  }

  void skip(ModelKey model, String reason) {
    skipped.add(new SkippedModel(model, reason));
  }

  void failed(int number, ModelKey model, Duration took, ProviderException error, String decision) {
    attempts.add(
        new Attempt(
            number, model, took, Optional.of(error.errorClass()), error.getMessage(), decision));
  }

  void succeeded(int number, ModelKey model, Duration took) {
    attempts.add(new Attempt(number, model, took, Optional.empty(), "", "served"));
  }

  RoutingTrace build(Optional<ModelKey> servedBy) {
    return new RoutingTrace(
        attempts, skipped, servedBy, Duration.ofNanos(time.nanoTime() - startNanos));
  }
}
