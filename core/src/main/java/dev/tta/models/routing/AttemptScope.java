package dev.tta.models.routing;

import dev.tta.models.catalog.ModelInfo;

/**
 * One attempt of a request: its session, the model it calls, its number in the request (1 for the
 * first), and when it started on the session's ticker.
 */
record AttemptScope(RoutingSession session, ModelInfo model, int number, long startNanos) {}
