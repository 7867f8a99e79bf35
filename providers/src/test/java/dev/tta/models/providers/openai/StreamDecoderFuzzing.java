package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.http.SseReader;
import dev.tta.models.time.ManualTimeSource;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feeds a fuzzed body to a {@link StreamDecoder} framed the way {@link OpenAiChatStream} frames it
 * (server-sent events, or one event per non-blank line), and checks what every decoder promises:
 * the only error is a {@link ProviderException} for the stream's provider and model with a message;
 * a finishing chunk comes at most once; the text given out never outgrows the body.
 */
public final class StreamDecoderFuzzing {

  public static final ProviderId PROVIDER = ProviderId.of("fuzzed");
  public static final String MODEL = "fuzzed-model";

  /** What a decoder made of one body. */
  public record Outcome(List<ChatChunk> chunks, Optional<ProviderException> failure) {

    public boolean ended() {
      return failure.isEmpty();
    }

    public long finishingChunks() {
      return chunks.stream().filter(c -> c.finishReason().isPresent()).count();
    }
  }

  private StreamDecoderFuzzing() {}

  public static OpenAiErrors errors() {
    return new OpenAiErrors(PROVIDER, Redactor.of(List.of()), new ManualTimeSource());
  }

  public static Outcome decode(StreamDecoder decoder, byte[] body) {
    List<ChatChunk> chunks = new ArrayList<>();
    Optional<ProviderException> failure = Optional.empty();
    try {
      for (SseEvent event : events(body, decoder.lineDelimited())) {
        chunks.addAll(decoder.onEvent(event));
      }
      chunks.addAll(decoder.onEnd());
    } catch (ProviderException e) {
      assertThat(e.provider()).isEqualTo(PROVIDER);
      assertThat(e.modelId()).contains(MODEL);
      assertThat(e.getMessage()).isNotBlank();
      failure = Optional.of(e);
    }
    Outcome outcome = new Outcome(chunks, failure);
    assertThat(outcome.finishingChunks()).as("finishing chunks").isLessThanOrEqualTo(1);
    long text =
        chunks.stream()
            .mapToLong(
                c ->
                    c.contentDelta().length()
                        + c.toolCallDeltas().stream()
                            .mapToLong(d -> d.argumentsDelta().length())
                            .sum())
            .sum();
    assertThat(text).as("text given out").isLessThanOrEqualTo(body.length);
    return outcome;
  }

  private static List<SseEvent> events(byte[] body, boolean lineDelimited) {
    List<SseEvent> events = new ArrayList<>();
    try {
      if (lineDelimited) {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (!line.isBlank()) {
            events.add(SseEvent.data(line));
          }
        }
      } else {
        SseReader reader = new SseReader(new ByteArrayInputStream(body));
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
          events.add(e.get());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("an in-memory body cannot fail to read", e);
    }
    return events;
  }
}
