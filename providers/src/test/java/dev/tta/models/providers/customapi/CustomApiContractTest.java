package dev.tta.models.providers.customapi;

import static dev.tta.models.testkit.ModelProviderContract.Capability.CANCELLATION;
import static dev.tta.models.testkit.ModelProviderContract.Capability.CHAT;
import static dev.tta.models.testkit.ModelProviderContract.Capability.ERROR_MAPPING;
import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.NETWORK_PEER;
import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.REQUEST_SCHEMA;
import static dev.tta.models.testkit.ModelProviderContract.Capability.STREAMING;
import static dev.tta.models.testkit.ModelProviderContract.Capability.TIMEOUTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.USAGE_IN_STREAM;

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
import dev.tta.models.providers.openai.TokenLimitField;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ContractRecordings.ErrorCase;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.ModelProviderContract;
import dev.tta.models.testkit.Peer;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.OpenApiRequestValidator;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The {@code custom_api} provider against the contract suite, three times: against a real llama.cpp
 * server's recordings, against OpenAI's recordings, and against hand-written exchanges (which need
 * nothing from {@code ../shared}, so a clone runs them too). Requests are validated against
 * OpenAI's published schema wherever {@code ../shared} has it.
 */
class CustomApiContractTest {

  private static final String CHAT_PATH = "/v1/chat/completions";
  private static ReplayPeer peer;

  @BeforeAll
  static void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  /** OpenAI's published request schema, when {@code ../shared} has it. */
  static Optional<OpenApiRequestValidator> openAiSchema() {
    return OpenApiRequestValidator.shared(
        "openai", OpenApiRequestValidator.CHAT_COMPLETION_REQUEST);
  }

  static OpenAiClientConfig.Builder connection(ProviderTarget target, String id) {
    OpenAiClientConfig.Builder connection =
        OpenAiClientConfig.builder(ProviderId.of(id), target.url("/v1"))
            .healthTimeout(target.healthTimeout())
            .connectTimeout(Duration.ofSeconds(2));
    target.apiKey().ifPresent(key -> connection.apiKey(Secret.of(key)));
    return connection;
  }

  /**
   * llama.cpp's server, build b4748, with a tiny random-weight model (see the recordings' README):
   * greedy decoding of "Say hello in one word." gives 16 tokens of nonsense.
   */
  @Nested
  class LlamaServer extends ModelProviderContract {

    // the 16 generated tokens: "alph", " Ana", "нове" (Cyrillic), " Bool", then " Pakistan" 12
    // times
    static final String TEXT = "alph Ana\u043d\u043e\u0432\u0435 Bool" + " Pakistan".repeat(12);

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.of(
          LIST_MODELS,
          CHAT,
          STREAMING,
          USAGE_IN_STREAM,
          HEALTH,
          CANCELLATION,
          ERROR_MAPPING,
          TIMEOUTS,
          RECORDED_REQUESTS,
          REQUEST_SCHEMA,
          NETWORK_PEER);
    }

    @Override
    protected Peer peer() {
      return Peer.replay(peer);
    }

    @Override
    protected ModelProvider createProvider(ProviderTarget target) {
      // /health is llama.cpp's own health endpoint, outside /v1
      return CustomApiProviderFactory.create(
          CustomApiSettings.builder(connection(target, "llamacpp").healthPath("/health").build())
              .build());
    }

    @Override
    protected ContractRecordings recordings() {
      FixtureSet llama = FixtureSet.shared("llama-server");
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.system("You are a helpful assistant."))
              .addMessage(ChatMessage.user("Say hello in one word."))
              .maxTokens(16)
              .seed(1)
              .temperature(0)
              .build();
      // usage of both chat_nonstream and the final chunk of chat_stream_include_usage
      Usage usage = new Usage(56, 16);
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("tiny-random")
              .models(llama.exchange("models"), Set.of("tiny-random"))
              .health(llama.exchange("health"))
              .conversation(
                  new Conversation(
                      request,
                      llama.exchange("chat_nonstream"),
                      llama.exchange("chat_stream_include_usage"),
                      TEXT,
                      FinishReason.LENGTH,
                      usage,
                      "tiny-random",
                      Optional.of(usage)))
              .error(
                  chatError(
                      llama,
                      "noctxshift_error_missing_api_key",
                      ProviderException.Authentication.class))
              .error(
                  chatError(
                          llama,
                          "noctxshift_error_wrong_api_key",
                          ProviderException.Authentication.class)
                      .withApiKey("sk-wrong"))
              .error(
                  chatError(
                      llama,
                      "noctxshift_error_prompt_over_context",
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  chatError(
                      llama,
                      "noctxshift_error_max_tokens_over_context",
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  chatError(llama, "error_malformed_json", ProviderException.InvalidRequest.class))
              .error(
                  chatError(
                      llama, "error_missing_messages", ProviderException.InvalidRequest.class))
              .error(chatError(llama, "error_unknown_path", ProviderException.Unavailable.class))
              .error(
                  chatError(
                      llama,
                      "noctxshift_error_metrics_disabled",
                      ProviderException.Unavailable.class))
              .error(
                  ErrorCase.stream(
                      llama
                          .exchange("noctxshift_error_prompt_over_context_stream")
                          .servedAt("POST", CHAT_PATH),
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  ErrorCase.stream(
                      llama
                          .exchange("noctxshift_error_max_tokens_over_context_stream")
                          .servedAt("POST", CHAT_PATH),
                      ProviderException.ContextLengthExceeded.class));
      openAiSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    private static ErrorCase chatError(
        FixtureSet fixtures, String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(fixtures.exchange(name).servedAt("POST", CHAT_PATH), expected);
    }
  }

  /**
   * The same contract as {@link LlamaServer}, on exchanges written by hand after llama.cpp's shapes
   * (kept in the testkit): they always run.
   */
  @Nested
  class LlamaServerHandWritten extends ModelProviderContract {

    static final FixtureSet FIXTURES =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/llama-server");

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.of(
          LIST_MODELS,
          CHAT,
          STREAMING,
          USAGE_IN_STREAM,
          HEALTH,
          CANCELLATION,
          ERROR_MAPPING,
          TIMEOUTS,
          RECORDED_REQUESTS,
          REQUEST_SCHEMA,
          NETWORK_PEER);
    }

    @Override
    protected Peer peer() {
      return Peer.replay(peer);
    }

    @Override
    protected ModelProvider createProvider(ProviderTarget target) {
      // /health is llama.cpp's own health endpoint, outside /v1
      return CustomApiProviderFactory.create(
          CustomApiSettings.builder(connection(target, "llamacpp").healthPath("/health").build())
              .build());
    }

    @Override
    protected ContractRecordings recordings() {
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.system("You are a storyteller."))
              .addMessage(ChatMessage.user("Begin a story."))
              .maxTokens(4)
              .seed(3)
              .temperature(0)
              .build();
      // usage of both chat and the finishing chunk of chat_stream
      Usage usage = new Usage(12, 4);
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("story-model")
              .models(
                  FIXTURES.exchange("models").servedAt("GET", "/v1/models"), Set.of("story-model"))
              .health(FIXTURES.exchange("health").servedAt("GET", "/health"))
              .conversation(
                  new Conversation(
                      request,
                      FIXTURES.exchange("chat").servedAt("POST", CHAT_PATH),
                      FIXTURES.exchange("chat_stream").servedAt("POST", CHAT_PATH),
                      "Once upon a time",
                      FinishReason.LENGTH,
                      usage,
                      "story-model",
                      Optional.of(usage)))
              .error(error("error_401_invalid_api_key", ProviderException.Authentication.class))
              .error(
                  error("error_401_invalid_api_key", ProviderException.Authentication.class)
                      .withApiKey("sk-hand-wrong"))
              .error(
                  error(
                      "error_400_prompt_over_context",
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  error(
                      "error_500_context_shift_disabled",
                      ProviderException.ContextLengthExceeded.class))
              .error(error("error_500_malformed_json", ProviderException.InvalidRequest.class))
              .error(error("error_500_missing_messages", ProviderException.InvalidRequest.class))
              .error(error("error_404_unknown_path", ProviderException.Unavailable.class))
              .error(error("error_501_not_supported", ProviderException.Unavailable.class))
              .error(
                  ErrorCase.stream(
                      FIXTURES
                          .exchange("error_prompt_over_context_stream")
                          .servedAt("POST", CHAT_PATH),
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  ErrorCase.stream(
                      FIXTURES.exchange("error_in_stream").servedAt("POST", CHAT_PATH),
                      ProviderException.ContextLengthExceeded.class));
      openAiSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    private static ErrorCase error(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(FIXTURES.exchange(name).servedAt("POST", CHAT_PATH), expected);
    }
  }

  /** OpenAI's own recordings (bodies only: status and content type come from their README). */
  @Nested
  class OpenAi extends ModelProviderContract {

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.allOf(Capability.class);
    }

    @Override
    protected Peer peer() {
      return Peer.replay(peer);
    }

    @Override
    protected ModelProvider createProvider(ProviderTarget target) {
      return CustomApiProviderFactory.create(
          CustomApiSettings.builder(
                  connection(target, "openai")
                      .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
                      .build())
              // the recorded conversations used models the recorded listing does not show
              .addModel(CustomModelSettings.builder("gpt-5.1").contextLength(400_000).build())
              .addModel(
                  CustomModelSettings.builder("gpt-5.4").capabilities("chat", "tools").build())
              .build());
    }

    @Override
    protected ContractRecordings recordings() {
      FixtureSet openai = FixtureSet.shared("openai");
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.system("You are a text parser."))
              .addMessage(
                  ChatMessage.user(
                      "How many letters are in the word Python? Answer in one word with no"
                          + " formatting."))
              .maxTokens(500)
              .temperature(0.7)
              .build();
      // chat_completions_response_gpt-5.1.json and the last chunk of
      // chat_completions_stream_usage.sse
      Usage usage = new Usage(33, 10);
      ChatRequest toolRequest =
          ChatRequest.builder()
              .addMessage(ChatMessage.user("What is the weather like in Boston today?"))
              .tools(
                  List.of(
                      new ToolDefinition(
                          "get_current_weather",
                          "Get the current weather in a given location",
                          """
                          {"type": "object",
                           "properties": {
                             "location": {"type": "string",
                                          "description": "The city and state, e.g. San Francisco, CA"},
                             "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                           "required": ["location"]}""")))
              .toolChoice("auto")
              .build();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("gpt-5.1")
              .models(
                  json(openai, "spec_models_list_response.json5", 200, "GET", "/v1/models"),
                  Set.of("model-id-0", "model-id-1", "model-id-2"))
              .health(json(openai, "spec_models_list_response.json5", 200, "GET", "/v1/models"))
              .conversation(
                  new Conversation(
                      request,
                      json(openai, "chat_completions_response_gpt-5.1.json", 200, "POST", CHAT_PATH)
                          .withRequestBody(openai.bytes("chat_completions_request.json")),
                      Exchange.of(
                              "chat_completions_stream_usage.sse",
                              "POST",
                              CHAT_PATH,
                              RecordedResponse.of(
                                  200,
                                  "text/event-stream; charset=utf-8",
                                  openai.bytes("chat_completions_stream_usage.sse")))
                          .withRequestBody(
                              openai.bytes("chat_completions_stream_usage_request.json")),
                      "six",
                      FinishReason.STOP,
                      usage,
                      "gpt-5.1-2025-11-13",
                      Optional.of(usage)))
              .tools(
                  new ToolScenario(
                      "gpt-5.4",
                      toolRequest,
                      json(
                              openai,
                              "spec_chat_completions_tools_response.json",
                              200,
                              "POST",
                              CHAT_PATH)
                          .withRequestBody(
                              openai.bytes("spec_chat_completions_tools_request.json")),
                      List.of(
                          new ToolCall(
                              "call_abc123",
                              "get_current_weather",
                              "{\n\"location\": \"Boston, MA\"\n}"))))
              // the recording's key was the test's fake key DEADBEEF, echoed in the message
              .error(
                  ErrorCase.chat(
                          json(openai, "error_401_invalid_api_key.json", 401, "POST", CHAT_PATH),
                          ProviderException.Authentication.class)
                      .withApiKey("DEADBEEF"))
              .error(
                  ErrorCase.chat(
                      json(openai, "error_404_model_not_found.json", 404, "POST", CHAT_PATH),
                      ProviderException.ModelNotFound.class))
              .error(
                  ErrorCase.chat(
                      json(
                          openai,
                          "error_429_insufficient_quota.transcribed.json",
                          429,
                          "POST",
                          CHAT_PATH),
                      ProviderException.RateLimited.class));
      openAiSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    private static Exchange json(
        FixtureSet fixtures, String name, int status, String method, String path) {
      return Exchange.of(
          name,
          method,
          path,
          RecordedResponse.of(status, "application/json; charset=utf-8", fixtures.bytes(name)));
    }
  }

  /** Exchanges written from OpenAI's API reference, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ModelProviderContract {

    static final FixtureSet FIXTURES =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openai-compatible");

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.allOf(Capability.class);
    }

    @Override
    protected Peer peer() {
      return Peer.replay(peer);
    }

    @Override
    protected ModelProvider createProvider(ProviderTarget target) {
      return CustomApiProviderFactory.create(
          CustomApiSettings.builder(connection(target, "handwritten").build()).build());
    }

    @Override
    protected ContractRecordings recordings() {
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.system("You are a helpful assistant."))
              .addMessage(ChatMessage.user("Hello!"))
              .maxTokens(64)
              .temperature(0.2)
              .build();
      // chat.response.http and the usage-only chunk of chat_stream.response.http
      Usage usage = new Usage(19, 10);
      ChatRequest toolRequest =
          ChatRequest.builder()
              .addMessage(ChatMessage.user("What is the weather like in Boston today?"))
              .tools(
                  List.of(
                      new ToolDefinition(
                          "get_current_weather",
                          "Get the current weather in a given location",
                          "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\","
                              + "\"description\":\"The city and state, e.g. San Francisco, CA\"},"
                              + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                              + "\"required\":[\"location\"]}")))
              .toolChoice("auto")
              .build();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("gpt-4o-mini")
              .models(
                  FIXTURES.exchange("models").servedAt("GET", "/v1/models"),
                  Set.of("gpt-4o-mini", "text-embedding-3-small"))
              .health(FIXTURES.exchange("models").servedAt("GET", "/v1/models"))
              .conversation(
                  new Conversation(
                      request,
                      FIXTURES.exchange("chat"),
                      FIXTURES.exchange("chat_stream"),
                      "Hello! How can I assist you today?",
                      FinishReason.STOP,
                      usage,
                      "gpt-4o-mini-2024-07-18",
                      Optional.of(usage)))
              .tools(
                  new ToolScenario(
                      "gpt-4o-mini",
                      toolRequest,
                      FIXTURES.exchange("chat_tools"),
                      List.of(
                          new ToolCall(
                              "call_hand_1",
                              "get_current_weather",
                              "{\"location\": \"Boston, MA\"}"))))
              .error(
                  error("error_401_invalid_api_key", ProviderException.Authentication.class)
                      .withApiKey("sk-hand-written-secret-0001"))
              .error(error("error_404_model_not_found", ProviderException.ModelNotFound.class))
              .error(
                  error(
                      "error_400_context_length_exceeded",
                      ProviderException.ContextLengthExceeded.class))
              .error(error("error_400_content_filter", ProviderException.ContentFiltered.class))
              .error(
                  error("error_429_rate_limit_exceeded", ProviderException.RateLimited.class)
                      .withRetryAfter(Duration.ofSeconds(20)))
              .error(error("error_503_overloaded", ProviderException.Unavailable.class))
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
