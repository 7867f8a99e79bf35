package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.providers.openai.StreamDecoderFuzzing.Outcome;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the decoding of a streamed {@code chat/completions} answer (SSE framing, then chunks).
 *
 * <p>Property: whatever the server sends, the only error is a {@link
 * dev.tta.models.provider.ProviderException} naming the provider and the model; at most one chunk
 * finishes the answer; the text given out never outgrows the body; and a stream that neither
 * finished nor said {@code [DONE]} is refused rather than taken as complete.
 */
class ChunkDecoderFuzzTest {

  @FuzzTest
  void chatCompletionStream(byte[] body) {
    ChunkDecoder decoder =
        new ChunkDecoder(
            StreamDecoderFuzzing.PROVIDER,
            StreamDecoderFuzzing.MODEL,
            StreamDecoderFuzzing.errors());

    Outcome outcome = StreamDecoderFuzzing.decode(decoder, body);

    if (outcome.ended() && outcome.finishingChunks() == 0) {
      assertThat(new String(body, StandardCharsets.UTF_8)).contains("[DONE]");
    }
  }
}
