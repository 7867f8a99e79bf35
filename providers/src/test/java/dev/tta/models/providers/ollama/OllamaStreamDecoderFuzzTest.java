package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.providers.openai.StreamDecoderFuzzing;
import dev.tta.models.providers.openai.StreamDecoderFuzzing.Outcome;

/**
 * Fuzzes the decoding of a streamed {@code /api/chat} answer (newline-delimited JSON).
 *
 * <p>Property: whatever the server sends, the only error is a {@link
 * dev.tta.models.provider.ProviderException} naming the provider and the model; the text given out
 * never outgrows the body; and a stream that ends normally has exactly one finishing chunk, the
 * last one (the {@code done: true} line).
 */
class OllamaStreamDecoderFuzzTest {

  @FuzzTest
  void chatStream(byte[] body) {
    OllamaStreamDecoder decoder =
        new OllamaStreamDecoder(
            StreamDecoderFuzzing.PROVIDER,
            StreamDecoderFuzzing.MODEL,
            StreamDecoderFuzzing.errors());

    Outcome outcome = StreamDecoderFuzzing.decode(decoder, body);

    if (outcome.ended()) {
      assertThat(outcome.finishingChunks()).isEqualTo(1);
      assertThat(outcome.chunks().getLast().finishReason()).isPresent();
    }
  }
}
