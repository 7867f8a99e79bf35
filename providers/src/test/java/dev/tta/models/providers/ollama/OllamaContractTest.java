package dev.tta.models.providers.ollama;

import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.NETWORK_PEER;
import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.REQUEST_SCHEMA;
import static dev.tta.models.testkit.ModelProviderContract.Capability.TOOLS;

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
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The {@code ollama} provider against the contract suite: against Ollama's documented listing,
 * version and tool call, and against hand-written exchanges that exercise every case. Every {@code
 * /api/chat} request is validated against Ollama's own OpenAPI document where {@code ../shared} has
 * it.
 */
class OllamaContractTest {

  static final String TAGS_PATH = "/api/tags";
  static final String CHAT_PATH = "/api/chat";

  /** The chat request schema of Ollama's specification. */
  static final String CHAT_REQUEST_SCHEMA = "ChatRequest";

  private static ReplayPeer peer;

  @BeforeAll
  static void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  static OllamaProvider provider(ProviderTarget target) {
    var connection =
        OllamaSettings.connection(ProviderId.of("ollama"), target.url("/"))
            .healthTimeout(target.healthTimeout())
            .connectTimeout(Duration.ofSeconds(2));
    target.apiKey().ifPresent(key -> connection.apiKey(Secret.of(key)));
    return OllamaProviderFactory.create(OllamaSettings.of(connection.build()));
  }

  static void ollamaSchema(ContractRecordings.Builder recordings) {
    OpenApiRequestValidator.shared("ollama", CHAT_REQUEST_SCHEMA)
        .ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
  }

  static Exchange json(FixtureSet fixtures, String name, String method, String path) {
    return Exchange.of(
        name, method, path, RecordedResponse.of(200, "application/json", fixtures.bytes(name)));
  }

  /** Ollama's documented listing, version and tool call. */
  @Nested
  class Documented extends ModelProviderContract {

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
      FixtureSet ollama = FixtureSet.shared("ollama");
      ChatRequest toolRequest =
          ChatRequest.builder()
              .addMessage(ChatMessage.user("what is the weather in tokyo?"))
              .tools(
                  List.of(
                      new ToolDefinition(
                          "get_weather",
                          "Get the weather in a given city",
                          """
                          {"type": "object",
                           "properties": {"city": {"type": "string",
                                                   "description": "The city to get the weather for"}},
                           "required": ["city"]}""")))
              .build();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("llama3.2:latest")
              .models(
                  json(ollama, "tags_response.json", "GET", TAGS_PATH),
                  Set.of("deepseek-r1:latest", "llama3.2:latest"))
              .health(json(ollama, "version_response.json", "GET", "/api/version"))
              .tools(
                  new ToolScenario(
                      "llama3.2:latest",
                      toolRequest,
                      json(ollama, "chat_tools_response.json", "POST", CHAT_PATH),
                      List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Tokyo\"}"))));
      ollamaSchema(recordings);
      return recordings.build();
    }
  }

  /** Exchanges written from Ollama's API documentation, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ModelProviderContract {

    static final FixtureSet FIXTURES =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/ollama");
    static final String MODEL = "llama3.2:latest";

    @Override
    protected Set<Capability> capabilities() {
      Set<Capability> all = EnumSet.allOf(Capability.class);
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
              .addMessage(ChatMessage.system("Answer in one sentence."))
              .addMessage(ChatMessage.user("Why is the sky blue?"))
              .maxTokens(64)
              .temperature(0)
              .build();
      // eval_count 12 in eval_duration 240000000 ns: 50 tokens per second
      Usage usage = new Usage(31, 12).withGenerationTime(Duration.ofMillis(240));
      ChatRequest toolRequest = HandWrittenRequests.weatherTool();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(
                  FIXTURES.exchange("tags").servedAt("GET", TAGS_PATH),
                  Set.of(MODEL, "qwen2.5:0.5b"))
              .health(FIXTURES.exchange("tags").servedAt("GET", "/api/version"))
              .conversation(
                  new Conversation(
                      request,
                      FIXTURES.exchange("chat").servedAt("POST", CHAT_PATH),
                      FIXTURES.exchange("chat_stream").servedAt("POST", CHAT_PATH),
                      "The sky is blue because air scatters blue light the most.",
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
                              "call_0", "get_current_weather", "{\"location\":\"Boston, MA\"}"))))
              .error(error("error_404_model_not_found", ProviderException.ModelNotFound.class))
              .error(error("error_400_invalid_request", ProviderException.InvalidRequest.class))
              .error(error("error_500_runner", ProviderException.Unavailable.class))
              .error(
                  ErrorCase.stream(
                      FIXTURES.exchange("error_in_stream").servedAt("POST", CHAT_PATH),
                      ProviderException.Unavailable.class));
      ollamaSchema(recordings);
      return recordings.build();
    }

    private static ErrorCase error(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(FIXTURES.exchange(name).servedAt("POST", CHAT_PATH), expected);
    }
  }
}
