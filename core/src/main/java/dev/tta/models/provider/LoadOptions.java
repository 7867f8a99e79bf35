package dev.tta.models.provider;

import dev.tta.models.internal.Checks;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How to load a model.
 *
 * @param contextLength the context window to allocate, where the provider can choose one
 * @param parameters provider-specific settings (for a local model: threads, GPU layers ...)
 */
public record LoadOptions(OptionalInt contextLength, Map<String, String> parameters) {

  public static final LoadOptions DEFAULTS = new LoadOptions(OptionalInt.empty(), Map.of());

  public LoadOptions {
    Checks.notNull(contextLength, "context_length");
    contextLength.ifPresent(n -> Checks.positive(n, "context_length"));
    parameters = Map.copyOf(Checks.notNull(parameters, "parameters"));
  }
}
