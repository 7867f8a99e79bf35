package dev.tta.models.providers.openai;

/**
 * The request field that carries {@code ChatRequest.maxTokens()}. OpenAI deprecated {@code
 * max_tokens} in favour of {@code max_completion_tokens} (its reasoning models refuse the old one),
 * while many OpenAI-compatible servers know only the old one.
 */
public enum TokenLimitField {
  MAX_TOKENS("max_tokens"),
  MAX_COMPLETION_TOKENS("max_completion_tokens");

  private final String wireName;

  TokenLimitField(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
