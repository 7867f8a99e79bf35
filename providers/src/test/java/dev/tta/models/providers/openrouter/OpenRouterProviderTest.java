package dev.tta.models.providers.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.management.FreeModelFilter;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
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

/**
 * What the contract suite cannot check with OpenRouter's recordings (their whole and streamed chats
 * ask different questions), checked one recording at a time, plus the attribution headers and the
 * run-time filter.
 */
class OpenRouterProviderTest {

  static final String KEY = "sk-or-v1-provider-test-key";
  static final String MODELS = "/api/v1/models";
  static final String CHAT = "/api/v1/chat/completions";
  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));
  static final FixtureSet HAND =
      FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openrouter");

  static ReplayPeer peer;
  OpenRouterProvider provider;

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
        OpenRouterProviderFactory.create(
            OpenRouterSettings.builder(connection().build())
                .siteUrl(URI.create("https://tta.example/app"))
                .appName("TTA Therapeutic Adventures")
                .build());
  }

  @AfterEach
  void close() {
    provider.close();
  }

  static OpenAiClientConfig.Builder connection() {
    return OpenAiClientConfig.builder(ProviderId.of("openrouter"), peer.url("/api/v1"))
        .apiKey(Secret.of(KEY));
  }

  static Exchange recorded(
      String name, int status, String contentType, String method, String path) {
    return Exchange.of(
        name,
        method,
        path,
        RecordedResponse.of(status, contentType, FixtureSet.shared("openrouter").bytes(name)));
  }

  /**
   * A model loaded from a catalog: testkit's hand-written one (mistral small), or the recorded one
   * (claude 3.7 sonnet).
   */
  ModelInstance load(String source) {
    if (source.equals("recorded")) {
      peer.serve(recorded("models.json", 200, "application/json", "GET", MODELS));
      return provider.load("anthropic/claude-3.7-sonnet", LoadOptions.DEFAULTS);
    }
    peer.serve(HAND.exchange("models").servedAt("GET", MODELS));
    return provider.load("mistralai/mistral-small-3.2-24b-instruct", LoadOptions.DEFAULTS);
  }

  /**
   * An answer for the chat path: testkit's hand-written exchange, which has its own status and
   * content type, or the recorded file, a body alone served with the given ones.
   */
  static Exchange answer(String source, String name, int status, String contentType) {
    return source.equals("recorded")
        ? recorded(name, status, contentType, "POST", CHAT)
        : HAND.exchange(name).servedAt("POST", CHAT);
  }

  static ChatRequest ask(String text) {
    return ChatRequest.builder().addMessage(ChatMessage.user(text)).build();
  }

  static Stream<Arguments> chats() {
    return Stream.of(
        Arguments.of(
            "hand-written",
            "chat",
            "Take a slow breath; you are safe here.",
            "mistralai/mistral-small-3.2-24b-instruct",
            new Usage(21, 10, OptionalDouble.of(2.05e-6)),
            "Mistral"),
        Arguments.of(
            "recorded",
            "chat_completions_response.json",
            "ok",
            "anthropic/claude-4.5-sonnet-20250929",
            new Usage(14, 4, OptionalDouble.of(0.000102)),
            "Amazon Bedrock"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("chats")
  void chat_answerServedModelAndBilledCost(
      String source, String name, String text, String servedModel, Usage usage, String upstream) {
    ModelInstance model = load(source);
    peer.serve(answer(source, name, 200, "application/json"));

    ChatResponse response = model.chat(ask("Reply with the single word: ok"), CALL);

    assertThat(response.text()).isEqualTo(text);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.model()).isEqualTo(servedModel);
    assertThat(response.usage()).contains(usage);
    // the answer's "provider": who ran the model behind OpenRouter
    assertThat(response.upstreamProvider()).hasValue(upstream);
  }

  static Stream<Arguments> streams() {
    return Stream.of(
        // "Take", " a", " slow", " breath", ";", " you", " are", " safe", " here", "."
        Arguments.of(
            "hand-written",
            "chat_stream",
            "Take a slow breath; you are safe here.",
            new Usage(21, 10, OptionalDouble.of(2.05e-6))),
        // the content deltas of the recording, joined by hand; its reasoning deltas are not content
        Arguments.of(
            "recorded",
            "chat_completions_stream.sse",
            "2 + 2 = 4",
            new Usage(43, 36, OptionalDouble.of(0.000669))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("streams")
  void stream_skipsProcessingCommentsAndEndsWithTheBilledUsage(
      String source, String name, String text, Usage usage) {
    ModelInstance model = load(source);
    peer.serve(answer(source, name, 200, "text/event-stream"));

    List<ChatChunk> chunks = readAll(model.stream(ask("What is 2+2?"), CALL));

    assertThat(String.join("", chunks.stream().map(ChatChunk::contentDelta).toList()))
        .isEqualTo(text);
    assertThat(chunks.stream().flatMap(c -> c.finishReason().stream()).toList())
        .containsExactly(FinishReason.STOP);
    assertThat(chunks.stream().flatMap(c -> c.usage().stream()).toList()).containsExactly(usage);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "hand-written, error_in_stream, Provider disconnected",
    "recorded, chat_completions_stream_midstream_error.sse, Token limit reached"
  })
  void midStreamError_failsTheStream(String source, String name, String message) {
    ModelInstance model = load(source);
    peer.serve(answer(source, name, 200, "text/event-stream"));

    ProviderException thrown =
        catchThrowableOfType(ProviderException.class, () -> readAll(model.stream(ask("Hi"), CALL)));

    assertThat(thrown).isNotNull();
    assertThat(thrown.getMessage()).contains(message);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "hand-written, error_429_rate_limited, 'Rate limit exceeded: free-models-per-min.'",
    "recorded, error_429_provider_rate_limited.json, Provider returned error"
  })
  void rateLimit_isRateLimitedWithTheUpstreamMessage(String source, String name, String message) {
    ModelInstance model = load(source);
    peer.serve(answer(source, name, 429, "application/json"));

    ProviderException.RateLimited thrown =
        catchThrowableOfType(
            ProviderException.RateLimited.class, () -> model.chat(ask("Hi"), CALL));

    assertThat(thrown.getMessage()).contains(message);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"hand-written, error_401_no_auth", "recorded, error_401_no_auth.transcribed.json"})
  void noAuth_isAuthentication(String source, String name) {
    ModelInstance model = load(source);
    peer.serve(answer(source, name, 401, "application/json"));

    assertThatThrownBy(() -> model.chat(ask("Hi"), CALL))
        .isInstanceOf(ProviderException.Authentication.class)
        .hasMessageContaining("No auth credentials found")
        .hasMessageNotContaining(KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void everyRequest_carriesTheKeyAndTheAttributionHeaders(String source) {
    ModelInstance model = load(source);
    peer.serve(HAND.exchange("chat").servedAt("POST", CHAT));

    model.chat(ask("Hi"), CALL);

    assertThat(peer.requests()).hasSize(2);
    assertThat(peer.requests())
        .allSatisfy(
            request -> {
              assertThat(request.header("authorization")).contains("Bearer " + KEY);
              assertThat(request.header("http-referer")).contains("https://tta.example/app");
              assertThat(request.header("x-title")).contains("TTA Therapeutic Adventures");
            });
  }

  @Test
  void filter_changesWhatIsListedAndLoadable_whileRunning() {
    peer.serve(HAND.exchange("models").servedAt("GET", MODELS));
    assertThat(provider.filter()).isEqualTo(OpenRouterFilter.NONE);
    assertThat(provider.listModels(ModelFilter.ALL))
        .extracting(ModelInfo::id)
        .containsExactly(
            "mistralai/mistral-small-3.2-24b-instruct",
            "meta-llama/llama-3.3-70b-instruct:free",
            "openrouter/auto");

    provider.filter(new OpenRouterFilter(true, false, OptionalDouble.empty()));

    assertThat(provider.listModels(ModelFilter.ALL))
        .extracting(ModelInfo::id)
        .containsExactly("meta-llama/llama-3.3-70b-instruct:free");
    assertThatThrownBy(
            () -> provider.load("mistralai/mistral-small-3.2-24b-instruct", LoadOptions.DEFAULTS))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessage(
            "provider openrouter offers no model 'mistralai/mistral-small-3.2-24b-instruct'; it"
                + " offers [meta-llama/llama-3.3-70b-instruct:free]");
  }

  @Test
  void managementFilter_readsAndReplacesTheSameFilter() {
    peer.serve(HAND.exchange("models").servedAt("GET", MODELS));
    provider.filter(new OpenRouterFilter(false, true, OptionalDouble.of(0.001)));

    assertThat(provider.freeModelFilter())
        .isEqualTo(new FreeModelFilter(false, true, OptionalDouble.of(0.001)));

    provider.freeModelFilter(new FreeModelFilter(true, false, OptionalDouble.empty()));

    assertThat(provider.filter())
        .isEqualTo(new OpenRouterFilter(true, false, OptionalDouble.empty()));
    assertThat(provider.listModels(ModelFilter.ALL))
        .extracting(ModelInfo::id)
        .containsExactly("meta-llama/llama-3.3-70b-instruct:free");
  }

  @Test
  void handWrittenCatalog_valuesOfEachModel() {
    peer.serve(HAND.exchange("models").servedAt("GET", MODELS));

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    ModelInfo mistral = models.get(0);
    assertThat(mistral.inputCostPerToken()).isEqualTo(0.00000005);
    assertThat(mistral.outputCostPerToken()).isEqualTo(0.0000001);
    assertThat(mistral.contextLength()).hasValue(131_072);
    assertThat(mistral.capabilities()).containsExactlyInAnyOrder("chat", "vision", "tools");
    ModelInfo llama = models.get(1);
    assertThat(llama.free()).isTrue();
    // context_length 0, so top_provider.context_length
    assertThat(llama.contextLength()).hasValue(65_536);
    ModelInfo auto = models.get(2);
    assertThat(auto.free()).isFalse();
    // the dearer listed prices: mistral's
    assertThat(auto.inputCostPerToken()).isEqualTo(0.00000005);
    assertThat(auto.outputCostPerToken()).isEqualTo(0.0000001);
  }

  @Test
  void aListingWithoutData_isUnavailable() {
    peer.serve(
        Exchange.of(
            "odd",
            "GET",
            MODELS,
            RecordedResponse.of(200, "application/json", "{\"models\":[]}".getBytes())));

    assertThatThrownBy(() -> provider.listModels(ModelFilter.ALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("the model listing has no 'data' array");
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
