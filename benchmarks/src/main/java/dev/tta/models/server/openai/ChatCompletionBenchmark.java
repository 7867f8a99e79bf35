package dev.tta.models.server.openai;

import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own JSON work on a request's hot path: reading and checking a chat completions
 * body, writing the whole answer, and writing one stream chunk (this class sits in the gateway's
 * package to reach its package-private reader and writer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChatCompletionBenchmark {

  /** A typical request: a system prompt, a user turn, a limit, a temperature and metadata. */
  static final String REQUEST =
      "{\"model\":\"therapeutic\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a calm"
          + " narrator of a text adventure. Keep answers short and kind.\"},{\"role\":\"user\","
          + "\"content\":\"I open the door and step into the hall. What do I see?\"}],"
          + "\"max_tokens\":256,\"temperature\":0.7,\"stream\":false,"
          + "\"metadata\":{\"session\":\"s-1234\",\"task_type\":\"narrative_generation\"}}";

  private final ObjectMapper mapper =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
  private final ChatCompletionReader reader = new ChatCompletionReader(mapper);
  private final ChatCompletionJson json = new ChatCompletionJson(mapper);
  private final ChatResponse answer =
      new ChatResponse(
          "chatcmpl-upstream",
          "gpt-4o-mini",
          ChatMessage.assistant(
              "The hall is quiet. Dust hangs in a slant of light from a high window, and a"
                  + " staircase curls up into the dark."),
          FinishReason.STOP,
          Optional.of(new Usage(42, 31, OptionalDouble.empty())),
          Optional.empty());
  private final ChatChunk chunk =
      new ChatChunk("gpt-4o-mini", " staircase", List.of(), Optional.empty(), Optional.empty());

  @Benchmark
  public ChatCompletionCall readRequest() {
    return reader.read(REQUEST, header -> null);
  }

  @Benchmark
  public String writeResponse() {
    return mapper.writeValueAsString(
        json.completion("chatcmpl-0123456789abcdef", 1_700_000_000L, "openai/gpt-4o-mini", answer));
  }

  @Benchmark
  public String writeChunk() {
    return mapper.writeValueAsString(
        json.chunk("chatcmpl-0123456789abcdef", 1_700_000_000L, "openai/gpt-4o-mini", chunk));
  }
}
