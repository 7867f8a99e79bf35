package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ModelInstance;
import java.time.Duration;
import java.util.Optional;

/** A whole answer, within the attempt's response limit and the request's deadline. */
final class ChatCall implements ModelCall<RoutedResponse> {

  @Override
  public RoutedResponse call(AttemptScope scope, ModelInstance instance) {
    RoutingSession session = scope.session();
    ModelRouter router = session.router();
    Duration limit =
        AttemptTimeouts.within(session.timeoutsFor(scope.model()).response(), session.timeLeft());
    ChatResponse response = instance.chat(session.request().chat(), CallOptions.withTimeout(limit));
    Duration took = session.elapsedSince(scope.startNanos());
    router.recordSuccess(
        scope.model(), scope.number(), session.request(), took, Optional.empty(), response.usage());
    ModelKey served = scope.model().key();
    session.trace().succeeded(scope.number(), served, took, "served");
    router.emit(
        new RoutingEvent.AttemptSucceeded(router.time().instant(), served, scope.number(), took));
    RoutingTrace trace = session.traceServedBy(Optional.of(served));
    router.emit(new RoutingEvent.Served(router.time().instant(), trace));
    return new RoutedResponse(response, served, trace);
  }
}
