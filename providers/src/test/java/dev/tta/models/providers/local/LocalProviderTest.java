package dev.tta.models.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.testkit.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider over real llama.cpp in-process, on a tiny random-weights model written by
 * {@link TinyLlamaWriter} (so it runs in any clone, with and without a chat template) and on
 * ../shared's llama-2-tiny-random.gguf. The cases check what holds for any weights: token counts
 * against the limit, the streamed text against the whole answer for the same seed, refusals and
 * their numbers; the written model's exact answer is checked by {@link LocalContractTest}.
 */
class LocalProviderTest {

  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(60));
  static final long PLENTY = 64L << 30;

  @TempDir static Path models;
  LocalProvider provider;

  @BeforeAll
  static void writeModel() throws IOException {
    TinyLlamaWriter.write(models.resolve("tiny.gguf"), 42);
    Files.writeString(models.resolve("broken.gguf"), "not a model");
    Files.writeString(models.resolve("notes.txt"), "ignored");
  }

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  LocalProvider provider(long availableMemory, int maxLoaded) {
    provider =
        LocalProviderFactory.create(
            LocalSettings.builder("local")
                .addModelPath(models)
                .maxLoadedModels(maxLoaded)
                .threads(2)
                .defaultMaxTokens(12)
                .build(),
            () -> availableMemory);
    return provider;
  }

  static ChatRequest ask(int maxTokens) {
    return ChatRequest.builder()
        .addMessage(ChatMessage.system("You are kind."))
        .addMessage(ChatMessage.user("Tell me a story."))
        .maxTokens(maxTokens)
        .temperature(0)
        .seed(7L)
        .build();
  }

  @Test
  void listsTheWrittenModel_fromItsHeader() {
    List<ModelInfo> listed = provider(PLENTY, 1).listModels(ModelFilter.ALL);

    assertThat(listed).extracting(ModelInfo::id).containsExactly("tiny");
    ModelInfo tiny = listed.getFirst();
    assertThat(tiny.name()).isEqualTo("tta-tiny-random");
    assertThat(tiny.providerType()).isEqualTo(ProviderType.LOCAL);
    assertThat(tiny.contextLength()).hasValue(512);
    assertThat(tiny.free()).isTrue();
    assertThat(tiny.description()).isEqualTo("llama, 19K parameters, F32, chat template");
    assertThat(tiny.estimatedMemoryBytes()).isPresent();
    assertThat(provider.health().healthy()).isTrue();
    assertThat(provider.health().detail()).isEqualTo("1 model file(s), 0 loaded");
  }

  @Test
  void chat_generatesUpToTheLimit_andCountsTokens() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);

    ChatResponse response = model.chat(ask(6), CALL);

    assertThat(response.model()).isEqualTo("tiny");
    assertThat(response.usage()).isPresent();
    assertThat(response.usage().get().promptTokens()).isPositive();
    assertThat(response.usage().get().completionTokens()).isBetween(1, 6);
    if (response.finishReason() == FinishReason.LENGTH) {
      assertThat(response.usage().get().completionTokens()).isEqualTo(6);
    }
    assertThat(model.status()).isEqualTo(ModelStatus.READY);
    assertThat(provider.loadedModels()).containsExactly("tiny");
  }

  @Test
  void stream_sameTextAsTheWholeAnswer_andOneFinish() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    String whole = model.chat(ask(8), CALL).text();

    List<ChatChunk> chunks = readAll(model.stream(ask(8), CALL));

    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.contentDelta()));
    assertThat(text.toString()).isEqualTo(whole);
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
    assertThat(chunks.getLast().finishReason()).isPresent();
    assertThat(chunks.getLast().usage()).isPresent();
  }

  @Test
  void closingAStream_cancelsTheGeneration_andTheModelServesTheNextCall() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    ChatStream stream = model.stream(ask(200), CALL);
    Optional<ChatChunk> first = stream.next();
    stream.close();

    assertThat(first).isPresent();
    assertThat(catchThrowableOfType(ProviderException.Cancelled.class, stream::next)).isNotNull();
    assertThat(model.chat(ask(3), CALL).usage()).isPresent();
  }

  @Test
  void loadedModelLimit_refusedWithTheNames() throws IOException {
    Path second = Files.copy(models.resolve("tiny.gguf"), models.resolve("second.gguf"));
    try {
      provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);

      assertThatThrownBy(() -> provider.load("second", LoadOptions.DEFAULTS))
          .isInstanceOf(ProviderException.Unavailable.class)
          .hasMessageContaining("max_loaded_models is 1 and [tiny] is loaded; unload one first");

      provider.unload("tiny");
      assertThat(provider.load("second", LoadOptions.DEFAULTS).info().id()).isEqualTo("second");
      assertThat(provider.loadedModels()).containsExactly("second");
    } finally {
      provider.close();
      Files.delete(second);
    }
  }

  @Test
  void shortMemory_refusedWithTheNumbers() throws IOException {
    // the file, plus K and V for 2 blocks x 512 tokens x 16 values x 2 bytes = 65536
    long needed = Files.size(models.resolve("tiny.gguf")) + 65_536;

    assertThatThrownBy(() -> provider(needed - 1, 1).load("tiny", LoadOptions.DEFAULTS))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining(
            "model tiny needs about "
                + needed / 1024
                + " KiB with a 512-token context, but only "
                + (needed - 1) / 1024
                + " KiB are available");
    assertThat(provider.loadedModels()).isEmpty();
    provider.close();
    assertThat(provider(needed, 1).load("tiny", LoadOptions.DEFAULTS)).isNotNull();
  }

  @Test
  void sizes_inReadableUnits() {
    assertThat(LocalProvider.size(158 * 1024 + 5)).isEqualTo("158 KiB");
    assertThat(LocalProvider.size(-1)).isEqualTo("0 KiB");
    assertThat(LocalProvider.size((long) (3.46 * (1 << 20)))).isEqualTo("3.5 MiB");
    assertThat(LocalProvider.size(1L << 20)).isEqualTo("1.0 MiB");
    assertThat(LocalProvider.size((long) (4.1 * (1L << 30)))).isEqualTo("4.1 GiB");
    assertThat(LocalProvider.size(1L << 30)).isEqualTo("1.0 GiB");
  }

  @Test
  void unknownModel_namesWhatThereIs() {
    assertThatThrownBy(() -> provider(PLENTY, 1).load("nope", LoadOptions.DEFAULTS))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessageContaining("has no model file 'nope.gguf'")
        .hasMessageEndingWith("it has [tiny]");
  }

  @Test
  void unloadedHandle_refusesNewCalls() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    provider.unload("tiny");

    assertThat(model.status()).isEqualTo(ModelStatus.OFFLINE);
    assertThatThrownBy(() -> model.chat(ask(2), CALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("the model was unloaded");
  }

  @Test
  void closing_leavesNoGenerationThread() throws InterruptedException {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    model.chat(ask(3), CALL);
    provider.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (generationThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(generationThreads()).isZero();
    assertThat(provider.loadedModels()).isEmpty();
  }

  @Test
  void noModels_isUnhealthy_sayingWhy(@TempDir Path empty) throws IOException {
    Files.writeString(empty.resolve("bad.gguf"), "nope");
    LocalProvider none =
        LocalProviderFactory.create(
            LocalSettings.builder("local").addModelPath(empty).build(), () -> PLENTY);

    assertThat(none.health().healthy()).isFalse();
    assertThat(none.health().detail()).contains("no readable .gguf model").contains("bad.gguf");
    none.close();
  }

  /**
   * A model without a chat template, as many base models are, is prompted with a plain transcript;
   * the configured window replaces its own.
   */
  @Test
  void writtenModelWithoutChatTemplate_generates(@TempDir Path plain) throws IOException {
    Path file = plain.resolve("plain-tiny.gguf");
    TinyLlamaWriter.write(file, 11, false);
    provider =
        LocalProviderFactory.create(
            LocalSettings.builder("local").addModelPath(file).contextLength(256).threads(2).build(),
            () -> PLENTY);

    ModelInfo info = provider.listModels(ModelFilter.ALL).getFirst();
    ChatResponse response = provider.load("plain-tiny", LoadOptions.DEFAULTS).chat(ask(5), CALL);

    assertThat(info.name()).isEqualTo("tta-tiny-random");
    // 2 x 16 x 448 + 2 x 2592 + 16 = 19536 weights
    assertThat(info.description()).isEqualTo("llama, 19K parameters, F32, no chat template");
    assertThat(info.contextLength()).hasValue(256);
    assertThat(response.usage().orElseThrow().completionTokens()).isBetween(1, 5);
  }

  /** The GGUF file written by others: llama.cpp generates from it through this provider. */
  @Test
  void sharedTinyLlama_generates() {
    Path shared = SharedFixtures.require("models/llama-2-tiny-random.gguf");
    provider =
        LocalProviderFactory.create(
            LocalSettings.builder("local")
                .addModelPath(shared)
                .contextLength(256)
                .threads(2)
                .build(),
            () -> PLENTY);

    ModelInfo info = provider.listModels(ModelFilter.ALL).getFirst();
    ChatResponse response =
        provider.load("llama-2-tiny-random", LoadOptions.DEFAULTS).chat(ask(5), CALL);

    assertThat(info.name()).isEqualTo("LLaMA v2");
    assertThat(info.description()).isEqualTo("llama, 513K parameters, F16, no chat template");
    assertThat(info.contextLength()).hasValue(256);
    assertThat(response.usage().orElseThrow().completionTokens()).isBetween(1, 5);
  }

  private static long generationThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("mm-local-"))
        .count();
  }

  /** The random model repeats itself greedily; penalties on repeated tokens change its answer. */
  @Test
  void penalties_reachTheSampler() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    String plain = model.chat(ask(24), CALL).text();

    String penalised =
        model.chat(ask(24).toBuilder().frequencyPenalty(2).presencePenalty(2).build(), CALL).text();

    assertThat(penalised).isNotEqualTo(plain);
    assertThat(model.chat(ask(24), CALL).text()).isEqualTo(plain);
  }

  // ---- JSON answers: generation held to a grammar made from the format ----

  static ChatRequest askFor(ResponseFormat format) {
    return ChatRequest.builder()
        .addMessage(ChatMessage.user("How does the scene feel?"))
        .maxTokens(80)
        .temperature(0)
        .seed(7L)
        .responseFormat(format)
        .build();
  }

  @Test
  void aJsonSchema_holdsTheRandomModelToIt_wholeAndStreamed() throws Exception {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    ResponseFormat mood =
        new ResponseFormat.JsonSchema(
            "mood",
            "",
            "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"calm\",\"tense\"]},"
                + "\"level\":{\"type\":\"integer\"}},\"required\":[\"mood\",\"level\"],"
                + "\"additionalProperties\":false}",
            true);

    ChatResponse response = model.chat(askFor(mood), CALL);

    JsonNode answer = new ObjectMapper().readTree(response.text());
    assertThat(answer.isObject()).as(response.text()).isTrue();
    assertThat(answer.fieldNames()).toIterable().containsExactly("mood", "level");
    assertThat(answer.get("mood").asText()).isIn("calm", "tense");
    assertThat(answer.get("level").isIntegralNumber()).as(response.text()).isTrue();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    StringBuilder streamed = new StringBuilder();
    readAll(model.stream(askFor(mood), CALL)).forEach(c -> streamed.append(c.contentDelta()));
    assertThat(streamed.toString()).isEqualTo(response.text());
  }

  @Test
  void aJsonObject_isAnObject() throws Exception {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);

    ChatResponse response = model.chat(askFor(new ResponseFormat.JsonObject()), CALL);

    assertThat(new ObjectMapper().readTree(response.text()).isObject())
        .as(response.text())
        .isTrue();
  }

  /**
   * llama.cpp's own converter ends the process on this schema (an uncaught C++ exception); the
   * provider's refuses it as the caller's error, and the model goes on serving.
   */
  @Test
  void aSchemaItCannotHonour_isAnInvalidRequest_namingThePlace_andTheModelServesOn() {
    ModelInstance model = provider(PLENTY, 1).load("tiny", LoadOptions.DEFAULTS);
    ResponseFormat dangling =
        new ResponseFormat.JsonSchema("s", "", "{\"$ref\":\"#/nowhere\"}", false);
    ResponseFormat patterned =
        new ResponseFormat.JsonSchema(
            "s",
            "",
            "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"}}}",
            false);

    assertThatThrownBy(() -> model.stream(askFor(dangling), CALL))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessageContaining("response_format.json_schema.schema")
        .hasMessageContaining("#/nowhere");
    assertThatThrownBy(() -> model.chat(askFor(patterned), CALL))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessageContaining(
            "response_format.json_schema.schema.properties.code: \"pattern\" is not supported");
    assertThat(model.chat(ask(4), CALL).usage()).isPresent();
  }

  private static List<ChatChunk> readAll(ChatStream stream) {
    try (stream) {
      List<ChatChunk> chunks = new ArrayList<>();
      for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        chunks.add(chunk.get());
      }
      return chunks;
    }
  }
}
