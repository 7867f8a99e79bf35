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
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException.InvalidRequest;
import dev.tta.models.provider.ProviderException.ModelNotFound;
import dev.tta.models.provider.ProviderException.Unavailable;
import dev.tta.models.providers.contract.ReplayPeerContract;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.OpenApiRequestValidator;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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

  static OllamaProvider provider(ProviderTarget target) {
    return OllamaProviderFactory.create(
        OllamaSettings.of(
            ReplayPeerContract.connectedTo(
                    target, OllamaSettings.connection(ProviderId.of("ollama"), target.url("/")))
                .build()));
  }

  static void ollamaSchema(ContractRecordings.Builder recordings) {
    OpenApiRequestValidator.shared("ollama", CHAT_REQUEST_SCHEMA)
        .ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
  }

  /** Ollama's documented listing, version and tool call. */
  @Nested
  class Documented extends ReplayPeerContract {

    Documented() {
      super(
          EnumSet.of(LIST_MODELS, HEALTH, TOOLS, REQUEST_SCHEMA, NETWORK_PEER),
          OllamaContractTest::provider);
    }

    @Override
    protected ContractRecordings recordings() {
      ServedFixtures ollama = new ServedFixtures(FixtureSet.shared("ollama"), CHAT_PATH);
      ContractRecordings.Builder recordings =
          ContractRecordings.builder("llama3.2:latest")
              .models(
                  ollama.json("tags_response.json", "GET", TAGS_PATH),
                  Set.of("deepseek-r1:latest", "llama3.2:latest"))
              .health(ollama.json("version_response.json", "GET", "/api/version"))
              .tools(
                  new ToolScenario(
                      "llama3.2:latest",
                      OllamaMappingTest.DOCUMENTED_TOOLS_REQUEST,
                      ollama.json("chat_tools_response.json", "POST", CHAT_PATH),
                      List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Tokyo\"}"))));
      ollamaSchema(recordings);
      return recordings.build();
    }
  }

  /** Exchanges written from Ollama's API documentation, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ReplayPeerContract {

    static final ServedFixtures FIXTURES = ServedFixtures.handWritten("ollama", CHAT_PATH);
    static final String MODEL = "llama3.2:latest";

    HandWritten() {
      super(allCapabilitiesBut(RECORDED_REQUESTS), OllamaContractTest::provider);
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
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(FIXTURES.get("tags", TAGS_PATH), Set.of(MODEL, "qwen2.5:0.5b"))
              .health(FIXTURES.get("tags", "/api/version"))
              .conversation(
                  FIXTURES.conversation(
                      request,
                      "The sky is blue because air scatters blue light the most.",
                      FinishReason.STOP,
                      usage,
                      MODEL))
              .tools(FIXTURES.weatherToolCall(MODEL, "call_0", "{\"location\":\"Boston, MA\"}"))
              .error(FIXTURES.error("error_404_model_not_found", ModelNotFound.class))
              .error(FIXTURES.error("error_400_invalid_request", InvalidRequest.class))
              .error(FIXTURES.error("error_500_runner", Unavailable.class))
              .error(FIXTURES.streamError("error_in_stream", Unavailable.class));
      ollamaSchema(recordings);
      return recordings.build();
    }
  }
}
