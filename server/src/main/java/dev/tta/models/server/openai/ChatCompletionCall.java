package dev.tta.models.server.openai;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.chat.ChatRequest;
import java.util.List;

/**
 * A checked {@code POST /v1/chat/completions} body.
 *
 * @param model what {@code model} named: a model key, a route name or {@code auto}
 * @param fallbackModels the request's own chain ({@code models}), tried after {@code model}
 * @param chat the call
 * @param stream {@code stream}
 * @param includeUsage {@code stream_options.include_usage}
 * @param requirements requirement fields found in {@code metadata}, not yet merged with headers or
 *     a route's; see {@link RequirementHints}
 * @param ignoredFields body fields the gateway accepted but does not act on (reported in a header)
 */
public record ChatCompletionCall(
    String model,
    List<String> fallbackModels,
    ChatRequest chat,
    boolean stream,
    boolean includeUsage,
    RequirementHints requirements,
    List<String> ignoredFields) {

  public ChatCompletionCall {
    fallbackModels = List.copyOf(fallbackModels);
    ignoredFields = List.copyOf(ignoredFields);
  }

  /** Merges the hints over a base (a route's requirements, or the defaults for {@code auto}). */
  public ModelRequirements requirementsOver(ModelRequirements base) {
    return requirements.over(base);
  }
}
