package dev.tta.models.server.dashboard;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.routing.Attempt;
import dev.tta.models.routing.RoutingEvent;
import dev.tta.models.routing.RoutingListener;
import dev.tta.models.routing.RoutingTrace;
import dev.tta.models.routing.SkippedModel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last requests' routing, newest first, for the dashboard: which models were called with what
 * outcome and how long, which were skipped and why. Bounded, and holding no request content and no
 * failure message (an upstream may quote the request in one), only error classes and decisions.
 */
public final class RecentTraces implements RoutingListener {

  public static final int DEFAULT_CAPACITY = 50;

  /** One attempt of a traced request. */
  public record TracedAttempt(String model, String outcome, long durationMs, String decision) {}

  /** One skipped candidate of a traced request. */
  public record TracedSkip(String model, String reason) {}

  /**
   * One request's routing.
   *
   * @param servedBy the model that answered, empty when none did
   * @param failure why no model answered, empty when one did
   */
  public record TracedRequest(
      Instant at,
      Optional<String> servedBy,
      Optional<String> failure,
      long totalMs,
      List<TracedAttempt> attempts,
      List<TracedSkip> skipped,
      List<String> notes) {}

  private final int capacity;
  private final Deque<TracedRequest> traces = new ArrayDeque<>();

  public RecentTraces(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void on(RoutingEvent event) {
    switch (event) {
      case RoutingEvent.Served s -> add(traced(s.at(), s.trace(), Optional.empty()));
      case RoutingEvent.Failed f -> add(traced(f.at(), f.trace(), Optional.of(f.reason())));
      default -> {}
    }
  }

  private synchronized void add(TracedRequest request) {
    traces.addFirst(request);
    if (traces.size() > capacity) {
      traces.removeLast();
    }
  }

  /** Newest first. */
  public synchronized List<TracedRequest> recent() {
    return List.copyOf(traces);
  }

  private static TracedRequest traced(Instant at, RoutingTrace trace, Optional<String> failure) {
    List<TracedAttempt> attempts = new ArrayList<>();
    for (Attempt attempt : trace.attempts()) {
      attempts.add(
          new TracedAttempt(
              attempt.model().toString(),
              attempt.error().map(e -> e.wireName()).orElse("ok"),
              attempt.duration().toMillis(),
              attempt.decision()));
    }
    List<TracedSkip> skipped = new ArrayList<>();
    for (SkippedModel skip : trace.skipped()) {
      skipped.add(new TracedSkip(skip.model().toString(), skip.reason()));
    }
    return new TracedRequest(
        at,
        trace.servedBy().map(ModelKey::toString),
        failure,
        trace.total().toMillis(),
        attempts,
        skipped,
        trace.notes());
  }
}
