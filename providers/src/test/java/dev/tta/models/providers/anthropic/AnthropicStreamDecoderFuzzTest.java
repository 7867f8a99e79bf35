package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.providers.openai.StreamDecoderFuzzing;
import dev.tta.models.providers.openai.StreamDecoderFuzzing.Outcome;
import java.util.Optional;

/**
 * Fuzzes the decoding of a streamed Messages answer (SSE framing, then Anthropic's events).
 *
 * <p>Property: whatever the server sends, the only error is a {@link
 * dev.tta.models.provider.ProviderException} naming the provider and the model; the text given out
 * never outgrows the body; and a stream that ends normally has exactly one finishing chunk, the
 * last one ({@code message_stop} ends the answer, and nothing after it counts).
 */
class AnthropicStreamDecoderFuzzTest {

  @FuzzTest
  void messagesStream(byte[] body) {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(
            StreamDecoderFuzzing.PROVIDER,
            StreamDecoderFuzzing.MODEL,
            StreamDecoderFuzzing.errors(),
            Optional.empty());

    Outcome outcome = StreamDecoderFuzzing.decode(decoder, body);

    if (outcome.ended()) {
      assertThat(outcome.finishingChunks()).isEqualTo(1);
      assertThat(outcome.chunks().getLast().finishReason()).isPresent();
    }
  }
}
