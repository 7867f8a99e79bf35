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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  ModelInstance loadRecorded(String modelId) {
    peer.serve(recorded("models.json", 200, "application/json", "GET", MODELS));
    return provider.load(modelId, LoadOptions.DEFAULTS);
  }

  static ChatRequest ask(String text) {
    return ChatRequest.builder().addMessage(ChatMessage.user(text)).build();
  }

  @Test
  void recordedChat_answerServedModelAndBilledCost() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
    peer.serve(recorded("chat_completions_response.json", 200, "application/json", "POST", CHAT));

    ChatResponse response = model.chat(ask("Reply with the single word: ok"), CALL);

    assertThat(response.text()).isEqualTo("ok");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.model()).isEqualTo("anthropic/claude-4.5-sonnet-20250929");
    assertThat(response.usage()).contains(new Usage(14, 4, OptionalDouble.of(0.000102)));
    // the recording's "provider": who ran the model behind OpenRouter
    assertThat(response.upstreamProvider()).hasValue("Amazon Bedrock");
  }

  @Test
  void recordedStream_skipsProcessingCommentsAndEndsWithTheBilledUsage() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
    peer.serve(recorded("chat_completions_stream.sse", 200, "text/event-stream", "POST", CHAT));

    List<ChatChunk> chunks = readAll(model.stream(ask("What is 2+2?"), CALL));

    // the content deltas of the recording, joined by hand; its reasoning deltas are not content
    String text = String.join("", chunks.stream().map(ChatChunk::contentDelta).toList());
    assertThat(text).isEqualTo("2 + 2 = 4");
    assertThat(chunks.stream().flatMap(c -> c.finishReason().stream()).toList())
        .containsExactly(FinishReason.STOP);
    assertThat(chunks.stream().flatMap(c -> c.usage().stream()).toList())
        .containsExactly(new Usage(43, 36, OptionalDouble.of(0.000669)));
  }

  @Test
  void recordedMidStreamError_failsTheStream() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
    peer.serve(
        recorded(
            "chat_completions_stream_midstream_error.sse", 200, "text/event-stream", "POST", CHAT));

    ProviderException thrown =
        catchThrowableOfType(ProviderException.class, () -> readAll(model.stream(ask("Hi"), CALL)));

    assertThat(thrown).isNotNull();
    assertThat(thrown.getMessage()).contains("Token limit reached");
  }

  @Test
  void recordedRateLimit_isRateLimitedWithTheUpstreamMessage() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
    peer.serve(
        recorded("error_429_provider_rate_limited.json", 429, "application/json", "POST", CHAT));

    ProviderException.RateLimited thrown =
        catchThrowableOfType(
            ProviderException.RateLimited.class, () -> model.chat(ask("Hi"), CALL));

    assertThat(thrown.getMessage()).contains("Provider returned error");
  }

  @Test
  void recordedNoAuth_isAuthentication() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
    peer.serve(
        recorded("error_401_no_auth.transcribed.json", 401, "application/json", "POST", CHAT));

    assertThatThrownBy(() -> model.chat(ask("Hi"), CALL))
        .isInstanceOf(ProviderException.Authentication.class)
        .hasMessageContaining("No auth credentials found")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void everyRequest_carriesTheKeyAndTheAttributionHeaders() {
    ModelInstance model = loadRecorded("anthropic/claude-3.7-sonnet");
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
