package dev.tta.models.server.management;

import java.util.List;

/**
 * The answer to a generate call.
 *
 * @param model the model that served it, {@code provider/model-id}
 * @param modelsTried every model called, in order, the serving one last
 * @param trace the routing trace in one line
 */
record GenerateResult(
    String model,
    String text,
    String finishReason,
    Integer promptTokens,
    Integer completionTokens,
    List<String> modelsTried,
    String trace) {}
