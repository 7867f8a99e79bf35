package dev.tta.models.provider;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;

/** A model made ready by its provider, which calls go to. Safe for concurrent calls. */
public interface ModelInstance {

  ModelInfo info();

  /**
   * Generates a whole answer.
   *
   * @throws ProviderException classified, for every failure
   */
  ChatResponse chat(ChatRequest request, CallOptions options);

  /**
   * Starts a streamed answer. Failures before the stream is open are thrown here; later ones come
   * from {@link ChatStream#next()}.
   *
   * @throws ProviderException classified, for every failure
   */
  ChatStream stream(ChatRequest request, CallOptions options);

  ModelStatus status();
}
