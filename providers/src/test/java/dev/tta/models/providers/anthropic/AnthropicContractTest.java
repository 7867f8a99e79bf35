package dev.tta.models.providers.anthropic;

import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.REQUEST_SCHEMA;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ContractRecordings.ErrorCase;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.HandWrittenRequests;
import dev.tta.models.testkit.ModelProviderContract;
import dev.tta.models.testkit.Peer;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@code anthropic} provider against the contract suite, on exchanges written from Anthropic's
 * API reference (the recorded fixtures have no model listing and no answer recorded both whole and
 * streamed, so {@link AnthropicProviderTest} checks each recording by itself). Requests are not
 * schema-checked: the published schemas are OpenAI's and Ollama's.
 */
class AnthropicContractTest extends ModelProviderContract {

  static final String MODELS_PATH = "/v1/models";
  static final String MESSAGES_PATH = "/v1/messages";
  static final String TEST_KEY = "sk-ant-contract-test-key";
  static final String MODEL = "claude-haiku-4-5-20251001";
  static final FixtureSet FIXTURES =
      FixtureSet.classpath("/dev/tta/models/testkit/fixtures/anthropic");

  private static ReplayPeer peer;

  @BeforeAll
  static void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  static AnthropicProvider provider(ProviderTarget target) {
    OpenAiClientConfig connection =
        AnthropicSettings.connection(ProviderId.of("anthropic"), target.url("/v1"))
            .apiKey(Secret.of(target.apiKey().orElse(TEST_KEY)))
            .healthTimeout(target.healthTimeout())
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    return AnthropicProviderFactory.create(AnthropicSettings.builder(connection).build());
  }

  @Override
  protected Set<Capability> capabilities() {
    Set<Capability> all = EnumSet.allOf(Capability.class);
    all.remove(RECORDED_REQUESTS);
    all.remove(REQUEST_SCHEMA);
    return all;
  }

  @Override
  protected Peer peer() {
    return Peer.replay(peer);
  }

  @Override
  protected ModelProvider createProvider(ProviderTarget target) {
    return provider(target);
  }

  @Override
  protected ContractRecordings recordings() {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("You are a calm companion."))
            .addMessage(ChatMessage.user("I feel anxious."))
            .maxTokens(64)
            .build();
    Usage usage = new Usage(31, 14);
    ChatRequest toolRequest = HandWrittenRequests.weatherTool();
    return ContractRecordings.builder(MODEL)
        .models(
            FIXTURES.exchange("models").servedAt("GET", MODELS_PATH),
            Set.of(MODEL, "claude-sonnet-4-5-20250929"))
        .health(FIXTURES.exchange("models").servedAt("GET", MODELS_PATH))
        .conversation(
            new Conversation(
                request,
                FIXTURES.exchange("chat").servedAt("POST", MESSAGES_PATH),
                FIXTURES.exchange("chat_stream").servedAt("POST", MESSAGES_PATH),
                "I hear you. Let's take one slow breath together.",
                FinishReason.STOP,
                usage,
                MODEL,
                Optional.of(usage)))
        .tools(
            new ToolScenario(
                MODEL,
                toolRequest,
                FIXTURES.exchange("chat_tools").servedAt("POST", MESSAGES_PATH),
                List.of(
                    new ToolCall(
                        "toolu_hand_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"))))
        .error(
            error("error_401_authentication", ProviderException.Authentication.class)
                .withApiKey(TEST_KEY))
        .error(error("error_403_permission", ProviderException.Authentication.class))
        .error(error("error_404_not_found", ProviderException.ModelNotFound.class))
        .error(error("error_400_invalid_request", ProviderException.InvalidRequest.class))
        .error(error("error_413_request_too_large", ProviderException.InvalidRequest.class))
        .error(
            error("error_429_rate_limit", ProviderException.RateLimited.class)
                .withRetryAfter(Duration.ofSeconds(7)))
        .error(error("error_500_api_error", ProviderException.Unavailable.class))
        .error(error("error_529_overloaded", ProviderException.Unavailable.class))
        .error(
            ErrorCase.stream(
                FIXTURES.exchange("error_in_stream").servedAt("POST", MESSAGES_PATH),
                ProviderException.Unavailable.class))
        .build();
  }

  private static ErrorCase error(String name, Class<? extends ProviderException> expected) {
    return ErrorCase.chat(FIXTURES.exchange(name).servedAt("POST", MESSAGES_PATH), expected);
  }
}
