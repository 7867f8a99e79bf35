package dev.tta.models.providers.local;

import static dev.tta.models.testkit.ModelProviderContract.Capability.CANCELLATION;
import static dev.tta.models.testkit.ModelProviderContract.Capability.CHAT;
import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.STREAMING;
import static dev.tta.models.testkit.ModelProviderContract.Capability.TIMEOUTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.USAGE_IN_STREAM;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.contract.DeclaredProviderContract;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ModelProviderContract;
import dev.tta.models.testkit.Peer;
import dev.tta.models.testkit.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code local} provider against the contract suite with real llama.cpp in process, twice: on a
 * model written by {@link TinyLlamaWriter} into a temporary folder (so any clone runs it), and on
 * {@code ../shared/models/llama-2-tiny-random.gguf} where that file exists. There is no peer, so
 * the cases that check a peer's side skip, saying so; the others check the model's real answers.
 */
class LocalContractTest {

  static final String SHARED_MODEL = "models/llama-2-tiny-random.gguf";

  /** Generation needs few threads for these models, and test machines may have two cores. */
  static final int THREADS = 1;

  static final Set<ModelProviderContract.Capability> CAPABILITIES =
      EnumSet.of(LIST_MODELS, CHAT, STREAMING, USAGE_IN_STREAM, HEALTH, CANCELLATION, TIMEOUTS);

  @TempDir static Path written;

  /** The shared model's answer to {@link Shared#REQUEST}, from llama.cpp itself. */
  static Conversation sharedAnswer;

  @BeforeAll
  static void writeModelAndAskTheSharedOne() throws IOException {
    TinyLlamaWriter.write(written.resolve("tiny.gguf"), 42);
    Optional<Path> shared =
        SharedFixtures.root().map(root -> root.resolve(SHARED_MODEL)).filter(Files::exists);
    if (shared.isPresent()) {
      sharedAnswer = Shared.askLlamaCpp(shared.get());
    }
  }

  /**
   * Memory the check sees as available: plenty, since asking the operating system starts JNA's
   * cleaner thread, which lives as long as the JVM and is not the provider's (the check itself is
   * {@link LocalProviderTest}'s).
   */
  static final long PLENTY = 64L << 30;

  static LocalProvider provider(Path modelPath) {
    return LocalProviderFactory.create(
        LocalSettings.builder("local").addModelPath(modelPath).threads(THREADS).build(),
        () -> PLENTY);
  }

  /**
   * In process, with a stream of far more tokens than a stream buffers ({@link
   * LocalModel#BUFFERED_TOKENS}) to keep a model busy: left unread, its generation waits for the
   * reader while holding the model.
   */
  static Peer inProcess(ChatRequest request) {
    ChatRequest longAnswer = request.toBuilder().maxTokens(400).build();
    return new Peer.InProcess(
        (model, options) -> model.stream(longAnswer, options), LocalContractTest::runtimeThread);
  }

  /**
   * Whether a platform thread outliving the provider is de.kherud:llama's own: 4.2.0 starts a
   * native thread per loaded model, attaches it to the JVM (so it shows as {@code Thread-<n>} with
   * no Java frame) and does not end it when the model is closed. Threads running our code are
   * checked by the suite all the same.
   */
  static boolean runtimeThread(Thread thread) {
    return thread.getName().matches("Thread-\\d+") && thread.getStackTrace().length == 0;
  }

  /** The written model: greedy decoding follows its planted chain, so its answer is known. */
  @Nested
  class Written extends DeclaredProviderContract {

    static final ChatRequest REQUEST =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("Say hello."))
            .maxTokens(8)
            .temperature(0)
            .seed(1)
            .build();

    Written() {
      super(CAPABILITIES, target -> provider(written));
    }

    @Override
    protected Peer peer() {
      return inProcess(REQUEST);
    }

    @Override
    protected ContractRecordings recordings() {
      // the prompt through the ChatML template, with the word start the tokenizer puts first and
      // spaces as word starts: "▁" 1, "<|im_start|>" 12, "user" 4, line end 1, "Say▁hello." 10,
      // "<|im_end|>" 10, line end 1, "<|im_start|>" 12, "assistant" 9, line end 1: 61 characters.
      // The vocabulary's pieces are single characters (a line end is a byte token) and "▁c" for a
      // printable c, so only "▁<" and "▁h" merge: 59 tokens, and the begin token makes 60. The 8
      // answer tokens are the chain "▁H i ▁f r o m" and again "▁H i", cut at the limit.
      Usage usage = new Usage(60, 8);
      return ContractRecordings.builder("tiny")
          .listed(Set.of("tiny"))
          .contextLength("tiny", TinyLlamaWriter.CONTEXT_LENGTH)
          .conversation(
              Conversation.inProcess(
                  REQUEST, " Hi from Hi", FinishReason.LENGTH, usage, "tiny", Optional.of(usage)))
          .build();
    }
  }

  /**
   * The shared random-weights model, whose answers are gibberish. It has no chat template, so the
   * provider sends the plain transcript written out below; the expected answer is what llama.cpp
   * gives for that prompt when asked directly, without the provider. Its header declares a
   * 4096-token window, which is also the cap, so it is listed with 4096.
   */
  @Nested
  class Shared extends DeclaredProviderContract {

    static final ChatRequest REQUEST =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("You are a helpful assistant."))
            .addMessage(ChatMessage.user("Say hello in one word."))
            .maxTokens(8)
            .temperature(0)
            .seed(1)
            .build();

    static final String TRANSCRIPT =
        "system: You are a helpful assistant.\nuser: Say hello in one word.\nassistant:";

    static Conversation askLlamaCpp(Path model) {
      try (LlamaModel llama =
          new LlamaModel(
              new ModelParameters()
                  .setModel(model.toString())
                  .setCtxSize(4096)
                  .setThreads(THREADS)
                  .setGpuLayers(0))) {
        String text =
            llama.complete(
                new InferenceParameters(TRANSCRIPT)
                    .setNPredict(8)
                    .setTemperature(0)
                    .setSeed(1)
                    .setCachePrompt(false));
        // the sentencepiece tokenizer puts its begin token before the prompt it encodes
        Usage usage = new Usage(llama.encode(TRANSCRIPT).length + 1, 8);
        return Conversation.inProcess(
            REQUEST, text, FinishReason.LENGTH, usage, "llama-2-tiny-random", Optional.of(usage));
      }
    }

    Shared() {
      super(CAPABILITIES, target -> provider(SharedFixtures.require(SHARED_MODEL)));
    }

    @Override
    protected Peer peer() {
      return inProcess(REQUEST);
    }

    @Override
    protected ContractRecordings recordings() {
      SharedFixtures.require(SHARED_MODEL);
      return ContractRecordings.builder("llama-2-tiny-random")
          .listed(Set.of("llama-2-tiny-random"))
          .contextLength("llama-2-tiny-random", 4096)
          .conversation(sharedAnswer)
          .build();
    }
  }
}
