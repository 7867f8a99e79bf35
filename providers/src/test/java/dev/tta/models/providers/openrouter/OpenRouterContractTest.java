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
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.OpenApiRequestValidator;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  private static ReplayPeer peer;

  @BeforeAll
  static void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  static OpenRouterProvider provider(ProviderTarget target) {
    OpenAiClientConfig connection =
        OpenAiClientConfig.builder(ProviderId.of("openrouter"), target.url("/api/v1"))
            .apiKey(Secret.of(target.apiKey().orElse(TEST_KEY)))
            .healthTimeout(target.healthTimeout())
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    return OpenRouterProviderFactory.create(
        OpenRouterSettings.builder(connection)
            .appName("TTA contract test")
            .siteUrl(URI.create("https://tta.example/"))
            .build());
  }

  static Optional<OpenApiRequestValidator> openAiSchema() {
    return OpenApiRequestValidator.shared(
        "openai", OpenApiRequestValidator.CHAT_COMPLETION_REQUEST);
  }

  static Exchange json(FixtureSet fixtures, String name, int status, String method, String path) {
    return Exchange.of(
        name, method, path, RecordedResponse.of(status, "application/json", fixtures.bytes(name)));
  }

  /** OpenRouter's recorded catalog (321 models) and a recorded tool call by Mistral. */
  @Nested
  class Recorded extends ModelProviderContract {

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.of(LIST_MODELS, HEALTH, TOOLS, REQUEST_SCHEMA, NETWORK_PEER);
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
      FixtureSet openrouter = FixtureSet.shared("openrouter");
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
                  json(openrouter, "models.json", 200, "GET", MODELS_PATH),
                  recordedIds(openrouter.bytes("models.json")))
              .health(json(openrouter, "models.json", 200, "GET", MODELS_PATH))
              .tools(
                  new ToolScenario(
                      "mistralai/mistral-small",
                      toolRequest,
                      json(
                          openrouter,
                          "chat_completions_tools_response.json",
                          200,
                          "POST",
                          CHAT_PATH),
                      List.of(
                          new ToolCall(
                              "3sniiMddS",
                              "divide",
                              "{\"numerator\": 123, \"denominator\": 456, \"on_inf\": \"infinity\"}"))));
      openAiSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
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
  class HandWritten extends ModelProviderContract {

    static final FixtureSet FIXTURES =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openrouter");

    static final String MODEL = "mistralai/mistral-small-3.2-24b-instruct";

    @Override
    protected Set<Capability> capabilities() {
      Set<Capability> all = EnumSet.allOf(Capability.class);
      // the hand-written exchanges fix responses, not requests
      all.remove(RECORDED_REQUESTS);
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
              .temperature(0.3)
              .build();
      // chat.response.http and the usage chunk of chat_stream.response.http: usage.cost 0.00000205
      Usage usage = new Usage(21, 10, OptionalDouble.of(0.00000205));
      ChatRequest toolRequest = HandWrittenRequests.weatherTool();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(
                  FIXTURES.exchange("models").servedAt("GET", MODELS_PATH),
                  Set.of(MODEL, "meta-llama/llama-3.3-70b-instruct:free", "openrouter/auto"))
              .health(FIXTURES.exchange("models").servedAt("GET", MODELS_PATH))
              .conversation(
                  new Conversation(
                      request,
                      FIXTURES.exchange("chat").servedAt("POST", CHAT_PATH),
                      FIXTURES.exchange("chat_stream").servedAt("POST", CHAT_PATH),
                      "Take a slow breath; you are safe here.",
                      FinishReason.STOP,
                      usage,
                      MODEL,
                      Optional.of(usage)))
              .tools(
                  new ToolScenario(
                      MODEL,
                      toolRequest,
                      FIXTURES.exchange("chat_tools").servedAt("POST", CHAT_PATH),
                      List.of(
                          new ToolCall(
                              "call_hand_or_1",
                              "get_current_weather",
                              "{\"location\": \"Boston, MA\"}"))))
              .error(
                  error("error_401_no_auth", ProviderException.Authentication.class)
                      .withApiKey(TEST_KEY))
              .error(error("error_402_insufficient_credits", ProviderException.RateLimited.class))
              .error(
                  error("error_429_rate_limited", ProviderException.RateLimited.class)
                      .withRetryAfter(Duration.ofSeconds(12)))
              .error(error("error_502_provider_error", ProviderException.Unavailable.class))
              .error(
                  ErrorCase.stream(
                      FIXTURES.exchange("error_in_stream").servedAt("POST", CHAT_PATH),
                      ProviderException.Unavailable.class));
      openAiSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    private static ErrorCase error(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(FIXTURES.exchange(name).servedAt("POST", CHAT_PATH), expected);
    }
  }
}
