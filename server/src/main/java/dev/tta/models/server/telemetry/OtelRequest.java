package dev.tta.models.server.telemetry;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.Usage;
import dev.tta.models.routing.RoutingEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One request's span, current on its thread while open, and the attempt spans its routing events
 * make. A successful attempt's span stays open until the request finishes, so that it can carry the
 * answer's token usage, and is then ended at the time the attempt ended.
 */
final class OtelRequest implements RequestSpan {

  static final ContextKey<OtelRequest> KEY = ContextKey.named("mm-request");

  private static final String SUCCESS = "success";

  private static final class Attempt {
    final Span span;
    final ModelKey model;
    Instant succeededAt;

    Attempt(Span span, ModelKey model) {
      this.span = span;
      this.model = model;
    }
  }

  private final Tracer tracer;
  private final Span span;
  private final Context context;
  private final Scope scope;
  private final Map<Integer, Attempt> attempts = new LinkedHashMap<>();
  private final Set<String> candidates = new LinkedHashSet<>();
  private final List<String> skipped = new ArrayList<>();
  private final List<String> fallbacks = new ArrayList<>();
  private String fallbackReason;
  private String failure;
  private long retries;
  private long continuations;
  private long hedges;
  private int attemptCount;
  private boolean finished;
  private boolean closed;

  OtelRequest(Tracer tracer, Span span) {
    this.tracer = tracer;
    this.span = span;
    this.context = Context.current().with(span).with(KEY, this);
    this.scope = context.makeCurrent();
  }

  synchronized void on(RoutingEvent event) {
    if (closed) {
      return;
    }
    switch (event) {
      case RoutingEvent.AttemptStarted s -> started(s);
      case RoutingEvent.AttemptSucceeded s -> {
        Attempt attempt = attempts.get(s.attempt());
        if (attempt != null) {
          attempt.succeededAt = s.at();
          attempt.span.setAttribute(GenAi.RESPONSE_MODEL, s.model().modelId());
        }
      }
      case RoutingEvent.AttemptFailed f -> {
        Attempt attempt = attempts.remove(f.attempt());
        if (attempt != null) {
          attempt.span.setAttribute(GenAi.ERROR_TYPE, f.error().wireName());
          attempt.span.setAttribute(GenAi.DECISION, f.decision());
          attempt.span.setStatus(StatusCode.ERROR, f.error().wireName());
          attempt.span.end(f.at());
        }
      }
      case RoutingEvent.Retried r -> {
        retries++;
        span.addEvent("retry", Attributes.of(GenAi.TO, r.model().toString()), r.at());
      }
      case RoutingEvent.FellBack f -> {
        fallbacks.add(f.from() + " -> " + f.to() + " (" + f.cause().wireName() + ")");
        fallbackReason = f.cause().wireName();
        span.addEvent(
            "fallback",
            Attributes.of(
                GenAi.FROM, f.from().toString(),
                GenAi.TO, f.to().toString(),
                GenAi.ERROR_TYPE, f.cause().wireName()),
            f.at());
      }
      case RoutingEvent.Continued c -> {
        continuations++;
        span.addEvent(
            "continuation",
            Attributes.of(
                GenAi.FROM, c.from().toString(),
                GenAi.TO, c.to().toString(),
                GenAi.ERROR_TYPE, c.cause().wireName(),
                GenAi.REASON, c.how()),
            c.at());
      }
      case RoutingEvent.Hedged h -> {
        hedges++;
        span.addEvent(
            "hedge",
            Attributes.of(GenAi.FROM, h.primary().toString(), GenAi.TO, h.hedge().toString()),
            h.at());
      }
      case RoutingEvent.Skipped s -> {
        candidates.add(s.model().toString());
        skipped.add(s.model() + ": " + s.reason());
      }
      case RoutingEvent.Served served -> {}
      case RoutingEvent.CallRecorded recorded -> {}
      case RoutingEvent.Failed f -> failure = f.reason();
    }
  }

  private void started(RoutingEvent.AttemptStarted s) {
    attemptCount++;
    candidates.add(s.model().toString());
    Span attempt =
        tracer
            .spanBuilder(GenAi.CHAT + " " + s.model().modelId())
            .setParent(context)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(s.at())
            .setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT)
            .setAttribute(GenAi.PROVIDER_NAME, s.model().provider().value())
            .setAttribute(GenAi.REQUEST_MODEL, s.model().modelId())
            .setAttribute(GenAi.ATTEMPT, (long) s.attempt())
            .startSpan();
    attempts.put(s.attempt(), new Attempt(attempt, s.model()));
  }

  @Override
  public synchronized void finish(
      int status, String served, String outcome, Optional<Usage> usage) {
    if (finished) {
      return;
    }
    finished = true;
    span.setAttribute(GenAi.HTTP_STATUS, (long) status);
    if (!served.isEmpty()) {
      span.setAttribute(GenAi.RESPONSE_MODEL, served);
    }
    if (!outcome.equals(SUCCESS)) {
      span.setAttribute(GenAi.ERROR_TYPE, outcome);
      span.setStatus(StatusCode.ERROR, outcome);
    }
    usage.ifPresent(
        u -> {
          tokens(span, u);
          servingAttempt(served).ifPresent(a -> tokens(a.span, u));
        });
  }

  private Optional<Attempt> servingAttempt(String served) {
    Attempt last = null;
    for (Attempt attempt : attempts.values()) {
      if (attempt.succeededAt != null && attempt.model.toString().equals(served)) {
        last = attempt;
      }
    }
    return Optional.ofNullable(last);
  }

  private static void tokens(Span span, Usage usage) {
    span.setAttribute(GenAi.INPUT_TOKENS, (long) usage.promptTokens());
    span.setAttribute(GenAi.OUTPUT_TOKENS, (long) usage.completionTokens());
    span.setAttribute(GenAi.USAGE_ESTIMATED, usage.estimated());
  }

  /** Ends the attempts still open (a successful one at the time it ended), then the request. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Attempt attempt : attempts.values()) {
      if (attempt.succeededAt != null) {
        attempt.span.end(attempt.succeededAt);
      } else {
        // the request ended while this attempt ran: the client left, or it was stopped
        attempt.span.setAttribute(GenAi.ERROR_TYPE, "cancelled");
        attempt.span.end();
      }
    }
    span.setAttribute(GenAi.CANDIDATES, List.copyOf(candidates));
    span.setAttribute(GenAi.SKIPPED, List.copyOf(skipped));
    span.setAttribute(GenAi.FALLBACKS, List.copyOf(fallbacks));
    if (fallbackReason != null) {
      span.setAttribute(GenAi.FALLBACK_REASON, fallbackReason);
    }
    if (failure != null) {
      span.setAttribute(GenAi.FAILURE, failure);
    }
    span.setAttribute(GenAi.ATTEMPTS, (long) attemptCount);
    span.setAttribute(GenAi.RETRIES, retries);
    span.setAttribute(GenAi.CONTINUATIONS, continuations);
    span.setAttribute(GenAi.HEDGES, hedges);
    span.end();
    scope.close();
  }
}
