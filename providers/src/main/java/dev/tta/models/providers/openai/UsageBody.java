package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code usage} object; {@code cost} is OpenRouter's addition (USD billed for the call).
 *
 * @param promptTokens tokens read
 * @param completionTokens tokens generated
 * @param cost the billed cost, when the server reports one
 */
record UsageBody(
    @JsonProperty("prompt_tokens") Integer promptTokens,
    @JsonProperty("completion_tokens") Integer completionTokens,
    Double cost) {}
