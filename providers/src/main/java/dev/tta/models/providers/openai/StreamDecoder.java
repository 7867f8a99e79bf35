package dev.tta.models.providers.openai;

import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.SseEvent;
import java.util.List;

/**
 * Turns the server-sent events of one streamed answer into chunks, with no I/O of its own: the wire
 * dialect of a stream ({@code chat/completions} chunks, Anthropic's message events), while {@link
 * OpenAiClient} does the reading, the timeouts and the cancelling.
 */
public interface StreamDecoder {

  /**
   * The chunks this event completes, in order.
   *
   * @throws ProviderException when the event reports an error or cannot be read
   */
  List<ChatChunk> onEvent(SseEvent event);

  /**
   * The chunks held back until the body ended.
   *
   * @throws ProviderException when the body ended before the answer did
   */
  List<ChatChunk> onEnd();

  /**
   * Whether the body is newline-delimited JSON (Ollama) rather than server-sent events: each
   * non-blank line then reaches {@link #onEvent} as the data of one event.
   */
  default boolean lineDelimited() {
    return false;
  }
}
