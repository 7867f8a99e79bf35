package dev.tta.models.chat;

import java.util.Locale;

/** Why the model stopped generating. */
public enum FinishReason {
  STOP,
  LENGTH,
  TOOL_CALLS,
  CONTENT_FILTER;

  /**
   * The OpenAI wire name: {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}.
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
