package dev.tta.models.providers.anthropic;

import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.REQUEST_SCHEMA;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException.Authentication;
import dev.tta.models.provider.ProviderException.InvalidRequest;
import dev.tta.models.provider.ProviderException.ModelNotFound;
import dev.tta.models.provider.ProviderException.RateLimited;
import dev.tta.models.provider.ProviderException.Unavailable;
import dev.tta.models.providers.contract.ReplayPeerContract;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ProviderTarget;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code anthropic} provider against the contract suite, on exchanges written from Anthropic's
 * API reference (the recorded fixtures have no model listing and no answer recorded both whole and
 * streamed, so {@link AnthropicProviderTest} checks each recording by itself). Requests are not
 * schema-checked: the published schemas are OpenAI's and Ollama's.
 */
class AnthropicContractTest extends ReplayPeerContract {

  static final String MODELS_PATH = "/v1/models";
  static final String MESSAGES_PATH = "/v1/messages";
  static final String TEST_KEY = "sk-ant-contract-test-key";
  static final String MODEL = "claude-haiku-4-5-20251001";
  static final ServedFixtures FIXTURES = ServedFixtures.handWritten("anthropic", MESSAGES_PATH);

  AnthropicContractTest() {
    super(allCapabilitiesBut(RECORDED_REQUESTS, REQUEST_SCHEMA), AnthropicContractTest::provider);
  }

  static AnthropicProvider provider(ProviderTarget target) {
    OpenAiClientConfig connection =
        connectedTo(
                target, AnthropicSettings.connection(ProviderId.of("anthropic"), target.url("/v1")))
            .apiKey(Secret.of(target.apiKey().orElse(TEST_KEY)))
            .build();
    return AnthropicProviderFactory.create(AnthropicSettings.builder(connection).build());
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
    return ContractRecordings.builder(MODEL)
        .models(FIXTURES.get("models", MODELS_PATH), Set.of(MODEL, "claude-sonnet-4-5-20250929"))
        .health(FIXTURES.get("models", MODELS_PATH))
        .conversation(
            FIXTURES.conversation(
                request,
                "I hear you. Let's take one slow breath together.",
                FinishReason.STOP,
                usage,
                MODEL))
        .tools(FIXTURES.weatherToolCall(MODEL, "toolu_hand_1", "{\"location\":\"Boston, MA\"}"))
        .error(
            FIXTURES.error("error_401_authentication", Authentication.class).withApiKey(TEST_KEY))
        .error(FIXTURES.error("error_403_permission", Authentication.class))
        .error(FIXTURES.error("error_404_not_found", ModelNotFound.class))
        .error(FIXTURES.error("error_400_invalid_request", InvalidRequest.class))
        .error(FIXTURES.error("error_413_request_too_large", InvalidRequest.class))
        .error(
            FIXTURES
                .error("error_429_rate_limit", RateLimited.class)
                .withRetryAfter(Duration.ofSeconds(7)))
        .error(FIXTURES.error("error_500_api_error", Unavailable.class))
        .error(FIXTURES.error("error_529_overloaded", Unavailable.class))
        .error(FIXTURES.streamError("error_in_stream", Unavailable.class))
        .build();
  }
}
