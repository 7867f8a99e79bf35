package dev.tta.models.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.providers.openai.StreamDecoder;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands each line of a {@code /api/pull} stream to a listener as progress; it yields no chat
 * output. An {@code error} line fails the pull, and so does a stream that ends without {@code
 * success}.
 */
final class PullDecoder implements StreamDecoder {

  private final ProviderId provider;
  private final String model;
  private final OpenAiErrors errors;
  private final Consumer<PullProgress> listener;
  private boolean succeeded;

  PullDecoder(
      ProviderId provider, String model, OpenAiErrors errors, Consumer<PullProgress> listener) {
    this.provider = provider;
    this.model = model;
    this.errors = errors;
    this.listener = listener;
  }

  @Override
  public boolean lineDelimited() {
    return true;
  }

  @Override
  public List<ChatChunk> onEvent(SseEvent event) {
    JsonNode line;
    try {
      line = OpenAiJson.mapper().readTree(event.data());
    } catch (JsonProcessingException e) {
      throw new ProviderException.Unavailable(
          provider, model, "a pull progress line cannot be read: " + e.getOriginalMessage(), e);
    }
    if (line.has("error")) {
      throw errors.fromStreamError(model, event.data());
    }
    PullProgress progress =
        new PullProgress(
            line.path("status").asText(""),
            line.path("digest").asText(""),
            line.path("total").asLong(0),
            line.path("completed").asLong(0));
    succeeded |= progress.succeeded();
    listener.accept(progress);
    return List.of();
  }

  @Override
  public List<ChatChunk> onEnd() {
    if (!succeeded) {
      throw new ProviderException.Unavailable(
          provider, model, "the pull ended without success", null);
    }
    return List.of();
  }
}
