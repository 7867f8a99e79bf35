package dev.tta.models.management;

import java.util.Optional;

/**
 * The outcome of one tiny real call to a model.
 *
 * @param latencyMs from loading the model to the answer or the failure
 * @param errorClass the failure's class wire name; empty when the call succeeded
 * @param detail the answer's text, or the failure's message
 */
public record ConnectivityResult(
    String model, boolean reachable, long latencyMs, Optional<String> errorClass, String detail) {}
