package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Anthropic's recordings one at a time over real HTTP (the contract suite runs on hand-written
 * exchanges, since no recorded answer exists both whole and streamed), with the headers sent and
 * the catalog merge.
 */
class AnthropicProviderTest {

  static final String KEY = "sk-ant-provider-test-key";
  static final String MESSAGES = "/v1/messages";
  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));
  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/anthropic");

  static ReplayPeer peer;
  AnthropicProvider provider;

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
        AnthropicProviderFactory.create(
            AnthropicSettings.builder(
                    AnthropicSettings.connection(ProviderId.of("anthropic"), peer.url("/v1"))
                        .apiKey(Secret.of(KEY))
                        .build())
                .addModel(
                    CustomModelSettings.builder("claude-haiku-4-5")
                        .contextLength(200_000)
                        .costPerToken(0.000001, 0.000005)
                        .therapeuticSafetyScore(9)
                        .build())
                .build());
  }

  @AfterEach
  void close() {
    provider.close();
  }

  ModelInstance haiku() {
    peer.serve(HAND.exchange("models").servedAt("GET", "/v1/models"));
    return provider.load("claude-haiku-4-5", LoadOptions.DEFAULTS);
  }

  static Exchange recorded(String name, int status, String contentType) {
    return Exchange.of(
        name,
        "POST",
        MESSAGES,
        RecordedResponse.of(status, contentType, FixtureSet.shared("anthropic").bytes(name)));
  }

  static ChatRequest hello() {
    return ChatRequest.of(ChatMessage.user("What's the weather in SF in Celsius?"));
  }

  @Test
  void catalog_configuredFirstThenListed_withClaudesWindow() {
    peer.serve(HAND.exchange("models").servedAt("GET", "/v1/models"));

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    assertThat(models)
        .extracting(ModelInfo::id)
        .containsExactly(
            "claude-haiku-4-5", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001");
    assertThat(models)
        .allSatisfy(m -> assertThat(m.providerType()).isEqualTo(ProviderType.ANTHROPIC));
    assertThat(models.get(0).outputCostPerToken()).isEqualTo(0.000005);
    assertThat(models.get(0).therapeuticSafetyScore()).hasValue(9);
    assertThat(models.get(1).contextLength()).hasValue(200_000);
  }

  /**
   * An answer served for the messages path: testkit's hand-written one, which has its own status,
   * or the recorded file, a body alone served with {@code status}.
   */
  static Exchange served(String source, String name, int status) {
    return source.equals("recorded")
        ? recorded(name, status, "application/json")
        : HAND.exchange(name).servedAt("POST", MESSAGES);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "hand-written | chat | I hear you. Let's take one slow breath together.",
        "recorded | messages_response.json | The weather in SF is currently **20°C** (68°F) and"
            + " **Sunny**!"
      })
  void answer_overHttp_withKeyAndVersionHeaders(String source, String name, String text) {
    ModelInstance model = haiku();
    peer.serve(served(source, name, 200));

    ChatResponse response = model.chat(hello(), CALL);

    assertThat(response.text()).isEqualTo(text);
    assertThat(peer.requests())
        .allSatisfy(
            request -> {
              assertThat(request.header("x-api-key")).contains(KEY);
              assertThat(request.header("anthropic-version")).contains("2023-06-01");
              assertThat(request.header("authorization")).isEmpty();
            });
    // max_tokens is required by the API: the default is sent when the request has none
    assertThat(peer.requests().getLast().bodyText()).contains("\"max_tokens\":1024");
  }

  /** Each error's class by its status and type, and its message kept. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hand-written | error_429_rate_limit | 429 | RATE_LIMITED | per-minute rate limit",
        "recorded | error_429_rate_limit.json | 429 | RATE_LIMITED | rate limit",
        "hand-written | error_400_invalid_request | 400 | INVALID_REQUEST | at least one message",
        "recorded | error_400_invalid_request.json | 400 | INVALID_REQUEST | unexpected `tool_use_id`",
        "hand-written | error_404_not_found | 404 | MODEL_NOT_FOUND | model: claude-haiku-4-5-20251001",
        "recorded | error_404_not_found.json | 404 | MODEL_NOT_FOUND | claude-does-not-exist",
        "hand-written | error_529_overloaded | 529 | UNAVAILABLE | Overloaded",
        "recorded | error_529_overloaded.json | 529 | UNAVAILABLE | Overloaded"
      })
  void errorAnswers_classedByStatus(
      String source, String name, int status, ErrorClass expected, String message) {
    ModelInstance model = haiku();
    peer.serve(served(source, name, status));

    assertThatThrownBy(() -> model.chat(hello(), CALL))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.errorClass()).isEqualTo(expected))
        .hasMessageContaining(message);
  }

  @Test
  void unreadableAnswer_isUnavailable_andUnsendableRequest_isInvalid() {
    ModelInstance model = haiku();
    peer.serve(
        Exchange.of(
            "odd",
            "POST",
            MESSAGES,
            RecordedResponse.of(
                200,
                "application/json",
                "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8))));

    assertThatThrownBy(() -> model.chat(hello(), CALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "POST messages: the server's answer cannot be read (the answer has no 'content' array)");
    assertThatThrownBy(
            () ->
                model.chat(
                    ChatRequest.builder()
                        .addMessage(ChatMessage.user("x"))
                        .toolChoice("{bad")
                        .build(),
                    CALL))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("the request cannot be sent: tool_choice: is not valid JSON");
    assertThat(model.status()).isEqualTo(dev.tta.models.catalog.ModelStatus.AVAILABLE);
    assertThat(model.info().id()).isEqualTo("claude-haiku-4-5");
  }

  @Test
  void listingWithoutData_isUnavailable() {
    peer.serve(
        Exchange.of(
            "odd",
            "GET",
            "/v1/models",
            RecordedResponse.of(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8))));

    assertThatThrownBy(() -> provider.listModels(ModelFilter.ALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("GET models: the model listing has no 'data' array");
  }
}
