package dev.tta.models.providers.openai;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.http.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one streamed chunk as an upstream sends it: the SSE framing of the event, and the {@code
 * chat.completion.chunk} JSON into a {@link ChatChunk} (this class sits in the client's package to
 * reach its package-private decoder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseChunkBenchmark {

  /** An OpenAI chunk of 2026, with its usage placeholder and obfuscation padding. */
  static final String CHUNK =
      "{\"id\":\"chatcmpl-Bx1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
          + "\"system_fingerprint\":\"fp_0123abcd\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"content\":\" staircase\"},\"logprobs\":null,\"finish_reason\":null}],"
          + "\"usage\":null,\"obfuscation\":\"q3Rz\"}";

  private static final byte[] EVENT = ("data: " + CHUNK + "\n\n").getBytes(StandardCharsets.UTF_8);

  private final ProviderId provider = ProviderId.of("openai");
  private final OpenAiErrors errors =
      new OpenAiErrors(provider, Redactor.of(List.of()), InstantSource.system());
  private final ChunkDecoder decoder = new ChunkDecoder(provider, "gpt-4o-mini", errors);
  private final SseEvent event = SseEvent.data(CHUNK);

  @Benchmark
  public List<ChatChunk> decodeChunk() {
    return decoder.onEvent(event);
  }

  @Benchmark
  public Optional<SseEvent> frameAndDecode() throws IOException {
    Optional<SseEvent> framed = new SseReader(new ByteArrayInputStream(EVENT)).next();
    decoder.onEvent(framed.orElseThrow());
    return framed;
  }
}
