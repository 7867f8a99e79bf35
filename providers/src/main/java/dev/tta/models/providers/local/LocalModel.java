package dev.tta.models.providers.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A GGUF model loaded into llama.cpp. One generation runs at a time per model (llama.cpp's context
 * is single-sequence here); others wait their turn within their own timeout. Generation runs on a
 * virtual thread that hands tokens over a short queue, so a stream's consumer waits with the call's
 * timeout, a consumer that stops reading pauses the generation (for at most that timeout) rather
 * than letting it fill memory, and closing the stream or the model stops the generation after its
 * current token.
 */
final class LocalModel implements ModelInstance {

  /** The seed used when a request sets none: the same request gives the same answer. */
  static final int DEFAULT_SEED = 42;

  /** Tokens a stream holds for its consumer; when they are not taken the generation waits. */
  static final int BUFFERED_TOKENS = 16;

  private final ModelInfo info;
  private final LlamaModel llama;
  private final boolean chatTemplate;
  private final boolean beginToken;
  private final int defaultMaxTokens;
  private final Semaphore turn = new Semaphore(1, true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<Generation> generations = ConcurrentHashMap.newKeySet();

  LocalModel(
      ModelInfo info,
      LlamaModel llama,
      boolean chatTemplate,
      boolean beginToken,
      int defaultMaxTokens) {
    this.info = info;
    this.llama = llama;
    this.chatTemplate = chatTemplate;
    this.beginToken = beginToken;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ModelStatus status() {
    return closed.get() ? ModelStatus.OFFLINE : ModelStatus.READY;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    StringBuilder text = new StringBuilder();
    FinishReason finish = FinishReason.STOP;
    Usage usage = null;
    try (ChatStream stream = stream(request, options)) {
      for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        text.append(chunk.get().contentDelta());
        if (chunk.get().finishReason().isPresent()) {
          finish = chunk.get().finishReason().get();
          usage = chunk.get().usage().orElse(null);
        }
      }
    }
    return new ChatResponse(
        "", info.id(), ChatMessage.assistant(text.toString()), finish, Optional.ofNullable(usage));
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    if (closed.get()) {
      throw new ProviderException.Unavailable(
          info.providerId(), info.id(), "the model was unloaded", null);
    }
    Optional<String> grammar = grammar(request.responseFormat());
    Generation generation = new Generation(request, grammar, options.timeout());
    generation.thread = Thread.ofVirtual().name("mm-local-" + info.id()).unstarted(generation::run);
    // registered before it starts, so that a close from now on stops it
    generations.add(generation);
    generation.thread.start();
    return generation;
  }

  /**
   * The grammar that holds generation to the format, made before generation starts so that a schema
   * it cannot honour is the caller's error, not the generation's. Made here rather than by
   * llama.cpp's own converter, which ends the process on a bad schema.
   */
  private Optional<String> grammar(ResponseFormat format) {
    try {
      return switch (format) {
        case ResponseFormat.Text text -> Optional.empty();
        case ResponseFormat.JsonObject object -> Optional.of(JsonSchemaGrammar.anyObject());
        case ResponseFormat.JsonSchema schema ->
            Optional.of(
                schema.schema().isEmpty()
                    ? JsonSchemaGrammar.anyObject()
                    : JsonSchemaGrammar.forSchema(schema.schema()));
      };
    } catch (IllegalArgumentException e) {
      throw new ProviderException.InvalidRequest(info.providerId(), info.id(), e.getMessage(), e);
    }
  }

  /**
   * Stops the running generations and frees the native model once none holds it: a stream whose
   * consumer stopped reading would otherwise hold the model until its timeout.
   */
  void close() {
    if (closed.compareAndSet(false, true)) {
      generations.forEach(Generation::close);
      turn.acquireUninterruptibly();
      try {
        llama.close();
      } finally {
        turn.release();
      }
    }
  }

  /**
   * The prompt: the model's own chat template, or a plain transcript when it has none. A final
   * assistant message is an answer to continue: the prompt ends with its text, where the model's
   * next turn would begin, so that generation goes on from it.
   */
  String prompt(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.getLast();
    if (last.role() == Role.ASSISTANT && messages.size() > 1) {
      return prompt(messages.subList(0, messages.size() - 1)) + last.content();
    }
    return prompt(messages);
  }

  private String prompt(List<ChatMessage> messages) {
    if (chatTemplate) {
      String system = null;
      List<Pair<String, String>> turns = new ArrayList<>();
      for (ChatMessage message : messages) {
        if (message.role() == Role.SYSTEM) {
          system = system == null ? message.content() : system + "\n\n" + message.content();
        } else {
          String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
          turns.add(new Pair<>(role, message.content()));
        }
      }
      return llama.applyTemplate(new InferenceParameters("").setMessages(system, turns));
    }
    StringBuilder transcript = new StringBuilder();
    for (ChatMessage message : messages) {
      transcript
          .append(message.role().wireName())
          .append(": ")
          .append(message.content())
          .append('\n');
    }
    return transcript.append("assistant:").toString();
  }

  private sealed interface Signal permits Token, Finished, Failed {}

  private record Token(String text) implements Signal {}

  private record Finished(FinishReason reason, Usage usage) implements Signal {}

  private record Failed(RuntimeException error) implements Signal {}

  /** One generation: its thread's output, read by the caller as a stream. */
  private final class Generation implements ChatStream {
    private final ChatRequest request;
    private final Optional<String> grammar;
    private final Duration timeout;
    private final BlockingQueue<Signal> signals = new ArrayBlockingQueue<>(BUFFERED_TOKENS);
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Thread thread;
    private boolean ended;

    Generation(ChatRequest request, Optional<String> grammar, Duration timeout) {
      this.request = request;
      this.grammar = grammar;
      this.timeout = timeout;
    }

    void run() {
      boolean acquired = false;
      try {
        acquired = turn.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (!acquired) {
          end(
              new Failed(
                  new ProviderException.Timeout(
                      info.providerId(), info.id(), "the model stayed busy for " + timeout, null)));
          return;
        }
        if (closed.get() || cancelled.get()) {
          end(new Failed(unloaded()));
          return;
        }
        generate();
      } catch (InterruptedException e) {
        end(new Failed(unloaded()));
      } catch (RuntimeException e) {
        end(
            new Failed(
                new ProviderException.Unavailable(
                    info.providerId(), info.id(), "llama.cpp failed: " + e.getMessage(), e)));
      } finally {
        if (acquired) {
          turn.release();
        }
        generations.remove(this);
      }
    }

    /**
     * Hands the last signal over when the consumer makes room within the timeout; a consumer that
     * closed the stream or stopped reading gets none, and its own wait ends it.
     */
    private void end(Signal signal) {
      try {
        hand(signal);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private boolean hand(Signal signal) throws InterruptedException {
      return signals.offer(signal, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void generate() throws InterruptedException {
      String prompt = prompt(request);
      int maxTokens = request.maxTokens().orElse(defaultMaxTokens);
      InferenceParameters parameters =
          new InferenceParameters(prompt)
              .setNPredict(maxTokens)
              .setTemperature((float) request.temperature().orElse(0.8))
              .setSeed((int) request.seed().orElse(DEFAULT_SEED))
              // a prompt evaluated partly from cache can give other logits than one evaluated whole
              // (other batch sizes), so the same request could get another answer; keep it
              // reproducible
              .setCachePrompt(false);
      request.topP().ifPresent(p -> parameters.setTopP((float) p));
      request.frequencyPenalty().ifPresent(p -> parameters.setFrequencyPenalty((float) p));
      request.presencePenalty().ifPresent(p -> parameters.setPresencePenalty((float) p));
      grammar.ifPresent(parameters::setGrammar);
      if (!request.stop().isEmpty()) {
        parameters.setStopStrings(request.stop().toArray(String[]::new));
      }
      // encoding leaves out the begin token that generation puts before the prompt
      int promptTokens = llama.encode(prompt).length + (beginToken ? 1 : 0);
      int generated = 0;
      LlamaIterator iterator = llama.generate(parameters).iterator();
      boolean taken = true;
      try {
        while (taken && !cancelled.get() && iterator.hasNext()) {
          LlamaOutput output = iterator.next();
          generated++;
          if (!output.text.isEmpty()) {
            taken = hand(new Token(output.text));
          }
        }
      } catch (InterruptedException e) {
        taken = false;
      }
      if (!taken || cancelled.get()) {
        iterator.cancel();
        return;
      }
      // the last output ends the generation and carries no token of its own
      int completionTokens = Math.max(0, generated - 1);
      FinishReason reason = completionTokens >= maxTokens ? FinishReason.LENGTH : FinishReason.STOP;
      hand(new Finished(reason, new Usage(promptTokens, completionTokens)));
    }

    private ProviderException unloaded() {
      return new ProviderException.Cancelled(
          info.providerId(), info.id(), "the generation was cancelled or the model unloaded", null);
    }

    @Override
    public Optional<ChatChunk> next() {
      if (cancelled.get()) {
        throw new ProviderException.Cancelled(
            info.providerId(), info.id(), "the stream was closed", null);
      }
      if (ended) {
        return Optional.empty();
      }
      Signal signal;
      try {
        signal = signals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw unloaded();
      }
      if (signal == null) {
        close();
        throw new ProviderException.Timeout(
            info.providerId(), info.id(), "no next token within " + timeout, null);
      }
      return switch (signal) {
        case Token token -> Optional.of(ChatChunk.content(info.id(), token.text()));
        case Finished finished -> {
          ended = true;
          yield Optional.of(ChatChunk.finish(info.id(), finished.reason(), finished.usage()));
        }
        case Failed failed -> {
          ended = true;
          throw failed.error();
        }
      };
    }

    /**
     * Stops the generation after its current token, or at once where it waits for room or for its
     * turn (the interrupt). Only the generating thread cancels llama.cpp's task: cancelling it
     * while that thread waits for the task's next token would leave it waiting for ever.
     */
    @Override
    public void close() {
      cancelled.set(true);
      thread.interrupt();
    }
  }
}
