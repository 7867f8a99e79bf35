package dev.tta.models.testkit.inprocess;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The smallest provider whose model runs in process, so that the contract suite's in-process cases
 * are checked without a native runtime: its one model answers with the words of {@link #ANSWER} up
 * to the token limit, a word a token, one generation at a time, each handed over only when the
 * reader takes it.
 */
final class WordsProvider implements ModelProvider {

  static final String MODEL = "words";
  static final int CONTEXT = 2048;
  static final List<String> ANSWER = List.of("The", " sky", " is", " blue", ".");

  private final ProviderId id = ProviderId.of("words");
  private final Set<WordsModel> loaded = ConcurrentHashMap.newKeySet();

  @Override
  public ProviderId id() {
    return id;
  }

  @Override
  public ProviderType type() {
    return ProviderType.LOCAL;
  }

  private ModelInfo info() {
    return ModelInfo.builder(id, ProviderType.LOCAL, MODEL)
        .contextLength(CONTEXT)
        .capabilities("chat")
        .build();
  }

  @Override
  public List<ModelInfo> listModels(ModelFilter filter) {
    return List.of(info()).stream().filter(filter::accepts).toList();
  }

  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    if (!MODEL.equals(modelId)) {
      throw new ProviderException.ModelNotFound(id, modelId, "no model " + modelId, null);
    }
    WordsModel model = new WordsModel(info());
    loaded.add(model);
    return model;
  }

  @Override
  public void unload(String modelId) {
    close();
  }

  @Override
  public ProviderHealth health() {
    return ProviderHealth.up("in process");
  }

  @Override
  public void close() {
    loaded.forEach(WordsModel::close);
    loaded.clear();
  }

  private static final class WordsModel implements ModelInstance {
    private final ModelInfo info;
    private final Semaphore turn = new Semaphore(1, true);
    private final Set<Generation> generations = ConcurrentHashMap.newKeySet();

    WordsModel(ModelInfo info) {
      this.info = info;
    }

    @Override
    public ModelInfo info() {
      return info;
    }

    @Override
    public ModelStatus status() {
      return ModelStatus.READY;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallOptions options) {
      StringBuilder text = new StringBuilder();
      ChatChunk last = null;
      try (ChatStream stream = stream(request, options)) {
        for (Optional<ChatChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
          text.append(c.get().contentDelta());
          last = c.get();
        }
      }
      return new ChatResponse(
          "",
          MODEL,
          ChatMessage.assistant(text.toString()),
          last.finishReason().orElseThrow(),
          last.usage());
    }

    @Override
    public ChatStream stream(ChatRequest request, CallOptions options) {
      Generation generation = new Generation(request, options.timeout());
      generation.thread = Thread.ofVirtual().unstarted(generation::run);
      generations.add(generation);
      generation.thread.start();
      return generation;
    }

    void close() {
      generations.forEach(Generation::close);
    }

    private final class Generation implements ChatStream {
      private final ChatRequest request;
      private final Duration timeout;
      private final SynchronousQueue<ChatChunk> handover = new SynchronousQueue<>();
      private final AtomicBoolean closed = new AtomicBoolean();
      private volatile Thread thread;
      private boolean ended;

      Generation(ChatRequest request, Duration timeout) {
        this.request = request;
        this.timeout = timeout;
      }

      /** Ends without a word when the model stays busy or the reader does not take one in time. */
      void run() {
        try {
          if (!turn.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
          }
          try {
            int words = Math.min(request.maxTokens().orElse(ANSWER.size()), ANSWER.size());
            for (int i = 0; i < words; i++) {
              if (!hand(ChatChunk.content(MODEL, ANSWER.get(i)))) {
                return;
              }
            }
            FinishReason reason = words < ANSWER.size() ? FinishReason.LENGTH : FinishReason.STOP;
            hand(ChatChunk.finish(MODEL, reason, new Usage(promptWords(), words)));
          } finally {
            turn.release();
          }
        } catch (InterruptedException e) {
          // closed: nobody reads on
        } finally {
          generations.remove(this);
        }
      }

      private boolean hand(ChatChunk chunk) throws InterruptedException {
        return handover.offer(chunk, timeout.toNanos(), TimeUnit.NANOSECONDS);
      }

      private int promptWords() {
        return request.messages().stream()
            .mapToInt(m -> m.content().isBlank() ? 0 : m.content().strip().split("\\s+").length)
            .sum();
      }

      @Override
      public Optional<ChatChunk> next() {
        if (closed.get()) {
          throw new ProviderException.Cancelled(id(), MODEL, "the stream was closed", null);
        }
        if (ended) {
          return Optional.empty();
        }
        ChatChunk chunk;
        try {
          chunk = handover.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProviderException.Cancelled(id(), MODEL, "interrupted", e);
        }
        if (chunk == null) {
          close();
          throw new ProviderException.Timeout(id(), MODEL, "no word within " + timeout, null);
        }
        ended = chunk.finishReason().isPresent();
        return Optional.of(chunk);
      }

      private ProviderId id() {
        return info.providerId();
      }

      @Override
      public void close() {
        closed.set(true);
        thread.interrupt();
      }
    }
  }
}
