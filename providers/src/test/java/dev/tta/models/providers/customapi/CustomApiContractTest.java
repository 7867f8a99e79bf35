package dev.tta.models.providers.customapi;

import static dev.tta.models.testkit.ModelProviderContract.Capability.TOOLS;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException.Authentication;
import dev.tta.models.provider.ProviderException.ContentFiltered;
import dev.tta.models.provider.ProviderException.ContextLengthExceeded;
import dev.tta.models.provider.ProviderException.InvalidRequest;
import dev.tta.models.provider.ProviderException.ModelNotFound;
import dev.tta.models.provider.ProviderException.RateLimited;
import dev.tta.models.provider.ProviderException.Unavailable;
import dev.tta.models.providers.contract.ReplayPeerContract;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.openai.TokenLimitField;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ContractRecordings.ErrorCase;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The {@code custom_api} provider against the contract suite, three times: against a real llama.cpp
 * server's recordings, against OpenAI's recordings, and against hand-written exchanges (which need
 * nothing from {@code ../shared}, so a clone runs them too). Requests are validated against
 * OpenAI's published schema wherever {@code ../shared} has it.
 */
class CustomApiContractTest {

  private static final String CHAT_PATH = "/v1/chat/completions";

  static OpenAiClientConfig.Builder connection(ProviderTarget target, String id) {
    return ReplayPeerContract.connectedTo(
        target, OpenAiClientConfig.builder(ProviderId.of(id), target.url("/v1")));
  }

  static CustomApiProvider llamaServer(ProviderTarget target) {
    // /health is llama.cpp's own health endpoint, outside /v1
    return CustomApiProviderFactory.create(
        CustomApiSettings.builder(connection(target, "llamacpp").healthPath("/health").build())
            .build());
  }

  /**
   * llama.cpp's server, build b4748, with a tiny random-weight model (see the recordings' README):
   * greedy decoding of "Say hello in one word." gives 16 tokens of nonsense.
   */
  @Nested
  class LlamaServer extends ReplayPeerContract {

    // the 16 generated tokens: "alph", " Ana", "нове" (Cyrillic), " Bool", then " Pakistan" 12
    // times
    static final String TEXT = "alph Ana\u043d\u043e\u0432\u0435 Bool" + " Pakistan".repeat(12);

    LlamaServer() {
      super(allCapabilitiesBut(TOOLS), CustomApiContractTest::llamaServer);
    }

    @Override
    protected ContractRecordings recordings() {
      ServedFixtures llama = new ServedFixtures(FixtureSet.shared("llama-server"), CHAT_PATH);
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
              .models(llama.fixtures().exchange("models"), Set.of("tiny-random"))
              .health(llama.fixtures().exchange("health"))
              .conversation(
                  new Conversation(
                      request,
                      llama.fixtures().exchange("chat_nonstream"),
                      llama.fixtures().exchange("chat_stream_include_usage"),
                      TEXT,
                      FinishReason.LENGTH,
                      usage,
                      "tiny-random",
                      Optional.of(usage)))
              .error(llama.error("noctxshift_error_missing_api_key", Authentication.class))
              .error(
                  llama
                      .error("noctxshift_error_wrong_api_key", Authentication.class)
                      .withApiKey("sk-wrong"))
              .error(
                  llama.error("noctxshift_error_prompt_over_context", ContextLengthExceeded.class))
              .error(
                  llama.error(
                      "noctxshift_error_max_tokens_over_context", ContextLengthExceeded.class))
              .error(llama.error("error_malformed_json", InvalidRequest.class))
              .error(llama.error("error_missing_messages", InvalidRequest.class))
              .error(llama.error("error_unknown_path", Unavailable.class))
              .error(llama.error("noctxshift_error_metrics_disabled", Unavailable.class))
              .error(
                  llama.streamError(
                      "noctxshift_error_prompt_over_context_stream", ContextLengthExceeded.class))
              .error(
                  llama.streamError(
                      "noctxshift_error_max_tokens_over_context_stream",
                      ContextLengthExceeded.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }
  }

  /**
   * The same contract as {@link LlamaServer}, on exchanges written by hand after llama.cpp's shapes
   * (kept in the testkit): they always run.
   */
  @Nested
  class LlamaServerHandWritten extends ReplayPeerContract {

    static final ServedFixtures FIXTURES = ServedFixtures.handWritten("llama-server", CHAT_PATH);

    LlamaServerHandWritten() {
      super(allCapabilitiesBut(TOOLS), CustomApiContractTest::llamaServer);
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
              .models(FIXTURES.get("models", "/v1/models"), Set.of("story-model"))
              .health(FIXTURES.get("health", "/health"))
              .conversation(
                  FIXTURES.conversation(
                      request, "Once upon a time", FinishReason.LENGTH, usage, "story-model"))
              .error(FIXTURES.error("error_401_invalid_api_key", Authentication.class))
              .error(
                  FIXTURES
                      .error("error_401_invalid_api_key", Authentication.class)
                      .withApiKey("sk-hand-wrong"))
              .error(FIXTURES.error("error_400_prompt_over_context", ContextLengthExceeded.class))
              .error(
                  FIXTURES.error("error_500_context_shift_disabled", ContextLengthExceeded.class))
              .error(FIXTURES.error("error_500_malformed_json", InvalidRequest.class))
              .error(FIXTURES.error("error_500_missing_messages", InvalidRequest.class))
              .error(FIXTURES.error("error_404_unknown_path", Unavailable.class))
              .error(FIXTURES.error("error_501_not_supported", Unavailable.class))
              .error(
                  FIXTURES.streamError(
                      "error_prompt_over_context_stream", ContextLengthExceeded.class))
              .error(FIXTURES.streamError("error_in_stream", ContextLengthExceeded.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }
  }

  /** OpenAI's own recordings (bodies only: status and content type come from their README). */
  @Nested
  class OpenAi extends ReplayPeerContract {

    OpenAi() {
      super(EnumSet.allOf(Capability.class), OpenAi::provider);
    }

    static CustomApiProvider provider(ProviderTarget target) {
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
                          Authentication.class)
                      .withApiKey("DEADBEEF"))
              .error(
                  ErrorCase.chat(
                      json(openai, "error_404_model_not_found.json", 404, "POST", CHAT_PATH),
                      ModelNotFound.class))
              .error(
                  ErrorCase.chat(
                      json(
                          openai,
                          "error_429_insufficient_quota.transcribed.json",
                          429,
                          "POST",
                          CHAT_PATH),
                      RateLimited.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
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
  class HandWritten extends ReplayPeerContract {

    static final ServedFixtures FIXTURES =
        ServedFixtures.handWritten("openai-compatible", CHAT_PATH);

    HandWritten() {
      super(EnumSet.allOf(Capability.class), HandWritten::provider);
    }

    static CustomApiProvider provider(ProviderTarget target) {
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
                  FIXTURES.get("models", "/v1/models"),
                  Set.of("gpt-4o-mini", "text-embedding-3-small"))
              .health(FIXTURES.get("models", "/v1/models"))
              .conversation(
                  FIXTURES.conversation(
                      request,
                      "Hello! How can I assist you today?",
                      FinishReason.STOP,
                      usage,
                      "gpt-4o-mini-2024-07-18"))
              .tools(
                  FIXTURES.toolCall(
                      "gpt-4o-mini",
                      toolRequest,
                      new ToolCall(
                          "call_hand_1", "get_current_weather", "{\"location\": \"Boston, MA\"}")))
              .error(
                  FIXTURES
                      .error("error_401_invalid_api_key", Authentication.class)
                      .withApiKey("sk-hand-written-secret-0001"))
              .error(FIXTURES.error("error_404_model_not_found", ModelNotFound.class))
              .error(
                  FIXTURES.error("error_400_context_length_exceeded", ContextLengthExceeded.class))
              .error(FIXTURES.error("error_400_content_filter", ContentFiltered.class))
              .error(
                  FIXTURES
                      .error("error_429_rate_limit_exceeded", RateLimited.class)
                      .withRetryAfter(Duration.ofSeconds(20)))
              .error(FIXTURES.error("error_503_overloaded", Unavailable.class))
              .error(FIXTURES.streamError("error_in_stream", Unavailable.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }
  }
}
