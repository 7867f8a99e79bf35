package dev.tta.models.providers.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** LM Studio's listings mapped to model info and status, value by value. */
class LmStudioProviderTest {

  static final String MODELS = "/api/v0/models";
  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));

  static ReplayPeer peer;
  LmStudioProvider provider;

  @BeforeAll
  static void start() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void create() {
    peer.reset();
    provider =
        LmStudioProviderFactory.create(
            new LmStudioSettings(
                LmStudioSettings.connection(ProviderId.of("lmstudio"), peer.url("/v1")).build()));
  }

  @AfterEach
  void close() {
    provider.close();
  }

  static Exchange listing(String json) {
    return Exchange.of(
        "listing",
        "GET",
        MODELS,
        RecordedResponse.of(200, "application/json", json.getBytes(StandardCharsets.UTF_8)));
  }

  static Exchange shared(String name, String method, String path) {
    return Exchange.of(
        name,
        method,
        path,
        RecordedResponse.of(200, "application/json", FixtureSet.shared("lmstudio").bytes(name)));
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/lmstudio");

  /**
   * A listing of language and embeddings models: testkit's hand-written one (granite loaded,
   * qwen2-vl not, an embeddings model), or the documented one.
   */
  static Exchange models(String source) {
    return source.equals("recorded")
        ? shared("api_v0_models_docs.json", "GET", MODELS)
        : HAND.exchange("models").servedAt("GET", MODELS);
  }

  /** A listing with no model: written here, or the one recorded for LM Studio's issue 816. */
  static Exchange empty(String source) {
    return source.equals("recorded")
        ? shared("api_v0_models_empty_issue816.json", "GET", MODELS)
        : listing("{\"object\":\"list\",\"data\":[]}");
  }

  @Test
  void handWrittenListing_languageModelsOnly_withTheirValues() {
    peer.serve(models("hand-written"));

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    assertThat(models)
        .extracting(ModelInfo::id)
        .containsExactly("granite-3.0-2b-instruct", "qwen2-vl-7b-instruct");
    ModelInfo granite = models.get(0);
    assertThat(granite.providerType()).isEqualTo(ProviderType.LM_STUDIO);
    assertThat(granite.local()).isTrue();
    // loaded: loaded_context_length 4096, not max_context_length 131072
    assertThat(granite.contextLength()).hasValue(4096);
    assertThat(granite.capabilities()).containsExactly("chat");
    assertThat(granite.description()).isEqualTo("lmstudio-community, granite, Q4_K_M, gguf");
    assertThat(granite.free()).isTrue();
    assertThat(granite.effectiveCostPerToken()).isZero();
    ModelInfo qwen = models.get(1);
    assertThat(qwen.contextLength()).hasValue(32_768);
    assertThat(qwen.capabilities()).containsExactlyInAnyOrder("chat", "vision");
    assertThat(qwen.description()).isEqualTo("mlx-community, qwen2_vl, 4bit, mlx");
  }

  @Test
  void documentedListing_languageModelsOnly_withTheirValues() {
    peer.serve(shared("api_v0_models_docs.json", "GET", MODELS));

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    assertThat(models)
        .extracting(ModelInfo::id)
        .containsExactly("qwen2-vl-7b-instruct", "meta-llama-3.1-8b-instruct");
    ModelInfo qwen = models.get(0);
    assertThat(qwen.providerType()).isEqualTo(ProviderType.LM_STUDIO);
    assertThat(qwen.local()).isTrue();
    assertThat(qwen.contextLength()).hasValue(32_768);
    assertThat(qwen.capabilities()).containsExactlyInAnyOrder("chat", "vision");
    assertThat(qwen.description()).isEqualTo("mlx-community, qwen2_vl, 4bit, mlx");
    assertThat(qwen.free()).isTrue();
    assertThat(qwen.effectiveCostPerToken()).isZero();
    ModelInfo llama = models.get(1);
    assertThat(llama.contextLength()).hasValue(131_072);
    assertThat(llama.capabilities()).containsExactly("chat");
    assertThat(llama.description()).isEqualTo("lmstudio-community, llama, Q4_K_M, gguf");
  }

  @Test
  void loadedModel_isReadyWithTheWindowItWasLoadedWith() {
    peer.serve(shared("api_v0_models_loaded_issue816.json", "GET", MODELS));

    ModelInstance model = provider.load("gemma-3n-e4b-it-mlx", LoadOptions.DEFAULTS);

    assertThat(model.status()).isEqualTo(ModelStatus.READY);
    // loaded_context_length 4096, not max_context_length 32768
    assertThat(model.info().contextLength()).hasValue(4096);
  }

  @Test
  void handWrittenLoadedModel_isReadyWithTheWindowItWasLoadedWith() {
    peer.serve(models("hand-written"));

    ModelInstance model = provider.load("granite-3.0-2b-instruct", LoadOptions.DEFAULTS);

    assertThat(model.status()).isEqualTo(ModelStatus.READY);
    // loaded_context_length 4096, not max_context_length 131072
    assertThat(model.info().contextLength()).hasValue(4096);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"hand-written, qwen2-vl-7b-instruct", "recorded, meta-llama-3.1-8b-instruct"})
  void notLoadedModel_isAvailable_andTheSameHandleComesBack(String source, String id) {
    peer.serve(models(source));

    ModelInstance model = provider.load(id, LoadOptions.DEFAULTS);
    ModelInstance again = provider.load(id, LoadOptions.DEFAULTS);

    assertThat(model.status()).isEqualTo(ModelStatus.AVAILABLE);
    assertThat(again).isSameAs(model);
    assertThat(peer.requests()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void emptyListing_offersNothing(String source) {
    peer.serve(empty(source));

    assertThat(provider.listModels(ModelFilter.ALL)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void embeddingsModel_refusedForChat(String source) {
    peer.serve(models(source));

    assertThatThrownBy(
            () -> provider.load("text-embedding-nomic-embed-text-v1.5", LoadOptions.DEFAULTS))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessage(
            "provider lmstudio has 'text-embedding-nomic-embed-text-v1.5' only as an embeddings"
                + " model");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hand-written | granite-3.0-2b-instruct, qwen2-vl-7b-instruct",
        "recorded | qwen2-vl-7b-instruct, meta-llama-3.1-8b-instruct"
      })
  void unknownModel_refusedNamingWhatIsOffered(String source, String offered) {
    peer.serve(models(source));

    assertThatThrownBy(() -> provider.load("nope", LoadOptions.DEFAULTS))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessage("provider lmstudio offers no model 'nope'; it offers [" + offered + "]");
  }

  static Stream<Arguments> chatAnswers() {
    return Stream.of(
        Arguments.of(
            "hand-written",
            "Greetings, I'm a helpful AI, here to assist,\nIn providing answers, with no distress.",
            new Usage(24, 20)),
        Arguments.of(
            "recorded",
            "Greetings, I'm a helpful AI, here to assist,\n"
                + "In providing answers, with no distress.\n"
                + "I'll keep it short and sweet, in rhyme you'll find,\n"
                + "A friendly companion, all day long you'll bind.",
            new Usage(24, 53)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatAnswers")
  void chatResponse_readThroughTheOpenAiApi(String source, String text, Usage usage) {
    peer.serve(
        listing(
            """
            {"object":"list","data":[{"id":"granite-3.0-2b-instruct","type":"llm",
              "state":"loaded","max_context_length":4096}]}"""));
    ModelInstance model = provider.load("granite-3.0-2b-instruct", LoadOptions.DEFAULTS);
    peer.serve(
        source.equals("recorded")
            ? shared("api_v0_chat_completions_response_docs.json", "POST", "/v1/chat/completions")
            : HAND.exchange("chat").servedAt("POST", "/v1/chat/completions"));

    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .addMessage(ChatMessage.system("Always answer in rhymes."))
                .addMessage(ChatMessage.user("Introduce yourself."))
                .build(),
            CALL);

    assertThat(response.text()).isEqualTo(text);
    assertThat(response.usage()).contains(usage);
    assertThat(response.model()).isEqualTo("granite-3.0-2b-instruct");
  }

  @Test
  void listing_oddEntries() {
    peer.serve(
        listing(
            """
            {"data":[{"type":"llm"},
                     {"id":"bare","type":"llm"},
                     {"id":"unknown-type","type":"tts"}]}"""));

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    assertThat(models).extracting(ModelInfo::id).containsExactly("bare");
    assertThat(models.getFirst().contextLength()).isEmpty();
    assertThat(models.getFirst().description()).isEmpty();
  }

  @Test
  void listingWithoutData_isUnavailable() {
    peer.serve(listing("{\"models\":[]}"));

    assertThatThrownBy(() -> provider.listModels(ModelFilter.ALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("GET /api/v0/models: the model listing has no 'data' array");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void health_asksTheRestListing(String source) {
    peer.serve(empty(source));

    assertThat(provider.health().healthy()).isTrue();
    assertThat(peer.requests().getFirst().path()).isEqualTo(MODELS);
  }
}
