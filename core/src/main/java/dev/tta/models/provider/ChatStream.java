package dev.tta.models.provider;

import dev.tta.models.chat.ChatChunk;
import java.util.Optional;

/**
 * A streamed answer, read by pulling. Pulling (rather than callbacks) keeps back-pressure natural
 * on virtual threads and lets a watchdog on another thread cancel a stalled read by closing the
 * stream.
 */
public interface ChatStream extends AutoCloseable {

  /**
   * Blocks until the next chunk arrives.
   *
   * @return the next chunk, or empty once the stream has ended normally
   * @throws ProviderException when the stream failed, including an error sent inside an HTTP 200
   *     stream; {@link ProviderException.Cancelled} when it was closed while reading
   */
  Optional<ChatChunk> next();

  /** Cancels the stream: stops reading and releases the connection. Idempotent. */
  @Override
  void close();
}
