package dev.tta.models.providers.openrouter;

import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.NETWORK_PEER;
import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.REQUEST_SCHEMA;
import static dev.tta.models.testkit.ModelProviderContract.Capability.TOOLS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException.Authentication;
import dev.tta.models.provider.ProviderException.RateLimited;
import dev.tta.models.provider.ProviderException.Unavailable;
import dev.tta.models.providers.contract.ReplayPeerContract;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.FixtureSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The {@code openrouter} provider against the contract suite: against OpenRouter's recorded catalog
 * and tool call, and against hand-written exchanges (which need nothing from {@code ../shared}).
 * The recorded chats ask different questions whole and streamed, so the conversation cases run on
 * the hand-written exchanges; {@link OpenRouterProviderTest} checks the recorded chats and errors
 * one by one.
 */
class OpenRouterContractTest {

  static final String MODELS_PATH = "/api/v1/models";
  static final String CHAT_PATH = "/api/v1/chat/completions";

  /** OpenRouter answers chats without a key with 401, so the settings demand one. */
  static final String TEST_KEY = "sk-or-v1-contract-test-key";

  static OpenRouterProvider provider(ProviderTarget target) {
    OpenAiClientConfig connection =
        ReplayPeerContract.connectedTo(
                target,
                OpenAiClientConfig.builder(ProviderId.of("openrouter"), target.url("/api/v1")))
            .apiKey(Secret.of(target.apiKey().orElse(TEST_KEY)))
            .build();
    return OpenRouterProviderFactory.create(
        OpenRouterSettings.builder(connection)
            .appName("TTA contract test")
            .siteUrl(URI.create("https://tta.example/"))
            .build());
  }

  /** OpenRouter's recorded catalog (321 models) and a recorded tool call by Mistral. */
  @Nested
  class Recorded extends ReplayPeerContract {

    Recorded() {
      super(
          EnumSet.of(LIST_MODELS, HEALTH, TOOLS, REQUEST_SCHEMA, NETWORK_PEER),
          OpenRouterContractTest::provider);
    }

    @Override
    protected ContractRecordings recordings() {
      ServedFixtures openrouter = new ServedFixtures(FixtureSet.shared("openrouter"), CHAT_PATH);
      ChatRequest toolRequest =
          ChatRequest.builder()
              .addMessage(ChatMessage.user("What is 123 / 456?"))
              .tools(
                  List.of(
                      new ToolDefinition(
                          "divide",
                          "Divide two numbers.",
                          """
                          {"additionalProperties": false, "description": "Divide two numbers.",
                           "properties": {"denominator": {"type": "number"},
                                          "numerator": {"type": "number"},
                                          "on_inf": {"default": "infinity",
                                                     "enum": ["error", "infinity"],
                                                     "type": "string"}},
                           "required": ["numerator", "denominator"], "type": "object"}""")))
              .toolChoice("auto")
              .build();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("mistralai/mistral-small")
              .models(
                  openrouter.json("models.json", "GET", MODELS_PATH),
                  recordedIds(openrouter.fixtures().bytes("models.json")))
              .health(openrouter.json("models.json", "GET", MODELS_PATH))
              .tools(
                  new ToolScenario(
                      "mistralai/mistral-small",
                      toolRequest,
                      openrouter.json("chat_completions_tools_response.json", "POST", CHAT_PATH),
                      List.of(
                          new ToolCall(
                              "3sniiMddS",
                              "divide",
                              "{\"numerator\": 123, \"denominator\": 456, \"on_inf\": \"infinity\"}"))));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    /** The ids of the recorded listing, read with a plain JSON parser. */
    private static Set<String> recordedIds(byte[] listing) {
      Set<String> ids = new HashSet<>();
      try {
        for (JsonNode model : JsonMapper.builder().build().readTree(listing).path("data")) {
          ids.add(model.path("id").asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ids;
    }
  }

  /** Exchanges written from OpenRouter's API reference, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ReplayPeerContract {

    static final ServedFixtures FIXTURES = ServedFixtures.handWritten("openrouter", CHAT_PATH);

    static final String MODEL = "mistralai/mistral-small-3.2-24b-instruct";

    HandWritten() {
      // the hand-written exchanges fix responses, not requests
      super(allCapabilitiesBut(RECORDED_REQUESTS), OpenRouterContractTest::provider);
    }

    @Override
    protected ContractRecordings recordings() {
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.system("You are a calm companion."))
              .addMessage(ChatMessage.user("I feel anxious."))
              .maxTokens(64)
              .temperature(0.3)
              .build();
      // chat.response.http and the usage chunk of chat_stream.response.http: usage.cost 0.00000205
      Usage usage = new Usage(21, 10, OptionalDouble.of(0.00000205));
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(
                  FIXTURES.get("models", MODELS_PATH),
                  Set.of(MODEL, "meta-llama/llama-3.3-70b-instruct:free", "openrouter/auto"))
              .health(FIXTURES.get("models", MODELS_PATH))
              .conversation(
                  FIXTURES.conversation(
                      request,
                      "Take a slow breath; you are safe here.",
                      FinishReason.STOP,
                      usage,
                      MODEL))
              .tools(
                  FIXTURES.weatherToolCall(
                      MODEL, "call_hand_or_1", "{\"location\": \"Boston, MA\"}"))
              .error(FIXTURES.error("error_401_no_auth", Authentication.class).withApiKey(TEST_KEY))
              .error(FIXTURES.error("error_402_insufficient_credits", RateLimited.class))
              .error(
                  FIXTURES
                      .error("error_429_rate_limited", RateLimited.class)
                      .withRetryAfter(Duration.ofSeconds(12)))
              .error(FIXTURES.error("error_502_provider_error", Unavailable.class))
              .error(FIXTURES.streamError("error_in_stream", Unavailable.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }
  }
}
