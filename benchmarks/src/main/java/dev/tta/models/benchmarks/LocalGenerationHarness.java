package dev.tta.models.benchmarks;

import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.providers.local.LocalProvider;
import dev.tta.models.providers.local.LocalProviderFactory;
import dev.tta.models.providers.local.LocalSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local provider's generation speed, for {@code benchmarks/bench-local.sh}: loads one GGUF file
 * through {@link LocalProvider} (llama.cpp in-process) and streams greedy answers from it as the
 * gateway does (a {@link ChatStream} read chunk by chunk with stream timeouts), with the same
 * model, threads, context and prompt as the llama.cpp side ({@code benchmarks/llama-cpp/
 * generate.mjs}), and prints the same lines. Needs the llama.cpp binding's jar on the class path
 * beside the benchmarks jar (the benchmarks jar leaves it out):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:server/target/lib/llama-VERSION.jar \
 *     dev.tta.models.benchmarks.LocalGenerationHarness --model FILE --threads T --tokens N \
 *     --context C --warmup W --runs R --prompt TEXT
 * </pre>
 *
 * <p>One tab-separated line per measured run, after W warm-up runs (a long-running gateway has
 * compiled its per-token path long since; the first runs of a new JVM still compile it, on the same
 * cores): {@code run}, prompt tokens, generated tokens, prompt ns, decode ns, decode CPU ns. The
 * prompt time runs to the first chunk, the decode time from it to the answer's end, so the decode
 * covers generated - 1 tokens when the first chunk carries the first token (a token that ends
 * inside a UTF-8 character is held back and sent with the next; with the tiny test model every
 * token is a chunk of its own); the decode CPU time is the whole process's over the same span. The
 * provider stops at the model's end of generation: such a run has fewer tokens and is counted by
 * the tokens it has.
 */
public final class LocalGenerationHarness {

  /**
   * Limits far beyond a run's length: the harness measures, the gateway's timeouts do not apply.
   */
  private static final CallOptions STREAM =
      CallOptions.forStream(Duration.ofMinutes(5), Duration.ofMinutes(1));

  private LocalGenerationHarness() {}

  record Options(
      Path model, int threads, int tokens, int context, int warmup, int runs, String prompt) {

    static Options parse(String[] args) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("model", "");
      values.put("threads", "1");
      values.put("tokens", "128");
      values.put("context", "4096");
      values.put("warmup", "1");
      values.put("runs", "3");
      values.put("prompt", "");
      for (int i = 0; i < args.length; i += 2) {
        String name = args[i].replaceFirst("^--", "");
        if (!values.containsKey(name) || i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
        }
        values.put(name, args[i + 1]);
      }
      return new Options(
          Path.of(values.get("model")),
          Integer.parseInt(values.get("threads")),
          Integer.parseInt(values.get("tokens")),
          Integer.parseInt(values.get("context")),
          Integer.parseInt(values.get("warmup")),
          Integer.parseInt(values.get("runs")),
          values.get("prompt"));
    }
  }

  record Run(
      int promptTokens, int generated, long promptNanos, long decodeNanos, long decodeCpuNanos) {

    String line() {
      return String.join(
          "\t",
          "run",
          Integer.toString(promptTokens),
          Integer.toString(generated),
          Long.toString(promptNanos),
          Long.toString(decodeNanos),
          Long.toString(decodeCpuNanos));
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("LocalGenerationHarness: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.model())) {
      System.err.println("LocalGenerationHarness: no model file " + options.model());
      System.exit(2);
    }
    LocalSettings settings =
        LocalSettings.builder("local")
            .addModelPath(options.model())
            .threads(options.threads())
            .contextLength(options.context())
            .defaultMaxTokens(options.tokens())
            .build();
    try (LocalProvider provider = LocalProviderFactory.create(settings)) {
      String modelId = provider.listModels(ModelFilter.ALL).getFirst().id();
      ModelInstance model = provider.load(modelId, LoadOptions.DEFAULTS);
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.user(options.prompt()))
              .maxTokens(options.tokens())
              .temperature(0)
              .build();
      for (int run = 0; run < options.warmup(); run++) {
        generate(model, request);
      }
      for (int run = 0; run < options.runs(); run++) {
        System.out.println(generate(model, request).line());
      }
    }
    // the binding leaves a native thread attached to the JVM as a non-daemon thread after the
    // model is closed, which would keep the process alive
    System.exit(0);
  }

  private static Run generate(ModelInstance model, ChatRequest request) {
    long started = System.nanoTime();
    long firstAt = 0;
    long firstCpu = 0;
    Usage usage = null;
    try (ChatStream stream = model.stream(request, STREAM)) {
      for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        if (firstAt == 0) {
          firstAt = System.nanoTime();
          firstCpu = processCpuNanos();
        }
        usage = chunk.get().usage().orElse(usage);
      }
    }
    long endedAt = System.nanoTime();
    long cpu = processCpuNanos() - firstCpu;
    if (usage == null) {
      throw new IllegalStateException("the stream ended without its usage");
    }
    return new Run(
        usage.promptTokens(), usage.completionTokens(), firstAt - started, endedAt - firstAt, cpu);
  }

  /**
   * The CPU time of all the process's threads, in nanoseconds, from each thread's scheduler
   * statistics: the JDK's own process CPU time counts in clock ticks of 10 ms, a tenth of a run.
   */
  private static long processCpuNanos() {
    long total = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path thread : threads) {
        try {
          String stats = Files.readString(thread.resolve("schedstat"));
          total += Long.parseLong(stats.substring(0, stats.indexOf(' ')));
        } catch (NoSuchFileException e) {
          // the thread ended since the folder was listed; its time is gone with it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total;
  }
}
