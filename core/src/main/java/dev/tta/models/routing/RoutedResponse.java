package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.ChatResponse;

/**
 * A served answer, the deployment that served it, and how routing got there.
 *
 * @param response the provider's answer
 * @param servedBy the model that produced it (which may differ from the one asked for)
 * @param trace attempts, skips and timings
 */
public record RoutedResponse(ChatResponse response, ModelKey servedBy, RoutingTrace trace) {}
