package dev.tta.models.providers.lmstudio;

import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.NETWORK_PEER;
import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;

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
 * The {@code lm_studio} provider against the contract suite: against LM Studio's documented model
 * listing (chat cases need a listing and a chat of the same model, which the recorded fixtures do
 * not have together), and against hand-written exchanges that exercise every case.
 */
class LmStudioContractTest {

  static final String MODELS_PATH = "/api/v0/models";
  static final String CHAT_PATH = "/v1/chat/completions";

  private static ReplayPeer peer;

  @BeforeAll
  static void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  static LmStudioProvider provider(ProviderTarget target) {
    OpenAiClientConfig.Builder connection =
        LmStudioSettings.connection(ProviderId.of("lmstudio"), target.url("/v1"))
            .healthTimeout(target.healthTimeout())
            .connectTimeout(Duration.ofSeconds(2));
    target.apiKey().ifPresent(key -> connection.apiKey(Secret.of(key)));
    return LmStudioProviderFactory.create(new LmStudioSettings(connection.build()));
  }

  /** LM Studio's documented listing: two language models and an embeddings model. */
  @Nested
  class Documented extends ModelProviderContract {

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.of(LIST_MODELS, HEALTH, NETWORK_PEER);
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
      FixtureSet lmstudio = FixtureSet.shared("lmstudio");
      Exchange listing =
          Exchange.of(
              "api_v0_models_docs.json",
              "GET",
              MODELS_PATH,
              RecordedResponse.of(
                  200, "application/json", lmstudio.bytes("api_v0_models_docs.json")));
      return ContractRecordings.builder("meta-llama-3.1-8b-instruct")
          // the embeddings model is listed by LM Studio but not offered for chat
          .models(listing, Set.of("qwen2-vl-7b-instruct", "meta-llama-3.1-8b-instruct"))
          .health(listing)
          .build();
    }
  }

  /** Exchanges written from LM Studio's documentation, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ModelProviderContract {

    static final FixtureSet FIXTURES =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/lmstudio");
    static final String MODEL = "granite-3.0-2b-instruct";

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
              .addMessage(ChatMessage.system("Always answer in rhymes."))
              .addMessage(ChatMessage.user("Introduce yourself."))
              .temperature(0.7)
              .build();
      Usage usage = new Usage(24, 20);
      ChatRequest toolRequest = HandWrittenRequests.weatherTool();
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(
                  FIXTURES.exchange("models").servedAt("GET", MODELS_PATH),
                  Set.of(MODEL, "qwen2-vl-7b-instruct"))
              .health(FIXTURES.exchange("models").servedAt("GET", MODELS_PATH))
              .conversation(
                  new Conversation(
                      request,
                      FIXTURES.exchange("chat").servedAt("POST", CHAT_PATH),
                      FIXTURES.exchange("chat_stream").servedAt("POST", CHAT_PATH),
                      "Greetings, I'm a helpful AI, here to assist,\n"
                          + "In providing answers, with no distress.",
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
                              "365174485",
                              "get_current_weather",
                              "{\"location\":\"Boston, MA\"}"))))
              .error(error("error_404_model_not_found", ProviderException.ModelNotFound.class))
              // a bare-string error; its message says the prompt exceeds the context
              .error(
                  error(
                      "error_400_context_length_exceeded",
                      ProviderException.ContextLengthExceeded.class))
              .error(
                  ErrorCase.stream(
                      FIXTURES.exchange("error_in_stream").servedAt("POST", CHAT_PATH),
                      ProviderException.Unavailable.class));
      OpenApiRequestValidator.shared("openai", OpenApiRequestValidator.CHAT_COMPLETION_REQUEST)
          .ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }

    private static ErrorCase error(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(FIXTURES.exchange(name).servedAt("POST", CHAT_PATH), expected);
    }
  }
}
