package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.providers.openai.StreamDecoderFuzzing;
import dev.tta.models.providers.openai.StreamDecoderFuzzing.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the reading of a {@code /api/pull} progress stream (newline-delimited JSON).
 *
 * <p>Property: whatever the server sends, the only error is a {@link
 * dev.tta.models.provider.ProviderException} naming the provider and the model; the pull yields no
 * chat output; every line read before a failure reaches the listener as one progress, never more
 * than the body has lines; and a pull that ends normally reported {@code success}.
 */
class PullDecoderFuzzTest {

  @FuzzTest
  void pullProgress(byte[] body) {
    List<PullProgress> progress = new ArrayList<>();
    PullDecoder decoder =
        new PullDecoder(
            StreamDecoderFuzzing.PROVIDER,
            StreamDecoderFuzzing.MODEL,
            StreamDecoderFuzzing.errors(),
            progress::add);

    Outcome outcome = StreamDecoderFuzzing.decode(decoder, body);

    assertThat(outcome.chunks()).isEmpty();
    assertThat(progress.size()).isLessThanOrEqualTo(lines(body));
    if (outcome.ended()) {
      assertThat(progress).anyMatch(PullProgress::succeeded);
    }
  }

  private static int lines(byte[] body) {
    int lines = 1;
    for (byte b : body) {
      if (b == '\n' || b == '\r') {
        lines++;
      }
    }
    return lines;
  }
}
