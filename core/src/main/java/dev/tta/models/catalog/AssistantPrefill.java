package dev.tta.models.catalog;

/**
 * Whether a model continues a conversation whose last message is its own unfinished answer (an
 * assistant message sent as a prefix), rather than starting a new turn or refusing. Routing uses it
 * to continue a stream that broke after some text reached the client.
 */
public enum AssistantPrefill {
  /** The model continues the prefix (Anthropic's prefill, llama.cpp, Ollama). */
  SUPPORTED,
  /** The model refuses a prefix or starts a new answer after it; routing restarts instead. */
  UNSUPPORTED,
  /** Not declared: routing tries the prefix and restarts if the model refuses it. */
  UNKNOWN
}
