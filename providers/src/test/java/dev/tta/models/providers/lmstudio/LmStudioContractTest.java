package dev.tta.models.providers.lmstudio;

import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.NETWORK_PEER;
import static dev.tta.models.testkit.ModelProviderContract.Capability.RECORDED_REQUESTS;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException.ContextLengthExceeded;
import dev.tta.models.provider.ProviderException.ModelNotFound;
import dev.tta.models.provider.ProviderException.Unavailable;
import dev.tta.models.providers.contract.ReplayPeerContract;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The {@code lm_studio} provider against the contract suite: against LM Studio's documented model
 * listing (chat cases need a listing and a chat of the same model, which the recorded fixtures do
 * not have together), and against hand-written exchanges that exercise every case.
 */
class LmStudioContractTest {

  static final String MODELS_PATH = "/api/v0/models";
  static final String CHAT_PATH = "/v1/chat/completions";

  static LmStudioProvider provider(ProviderTarget target) {
    return LmStudioProviderFactory.create(
        new LmStudioSettings(
            ReplayPeerContract.connectedTo(
                    target,
                    LmStudioSettings.connection(ProviderId.of("lmstudio"), target.url("/v1")))
                .build()));
  }

  /** LM Studio's documented listing: two language models and an embeddings model. */
  @Nested
  class Documented extends ReplayPeerContract {

    Documented() {
      super(EnumSet.of(LIST_MODELS, HEALTH, NETWORK_PEER), LmStudioContractTest::provider);
    }

    @Override
    protected ContractRecordings recordings() {
      ServedFixtures lmstudio = new ServedFixtures(FixtureSet.shared("lmstudio"), CHAT_PATH);
      Exchange listing = lmstudio.json("api_v0_models_docs.json", "GET", MODELS_PATH);
      return ContractRecordings.builder("meta-llama-3.1-8b-instruct")
          // the embeddings model is listed by LM Studio but not offered for chat
          .models(listing, Set.of("qwen2-vl-7b-instruct", "meta-llama-3.1-8b-instruct"))
          .health(listing)
          .build();
    }
  }

  /** Exchanges written from LM Studio's documentation, kept in the testkit: they always run. */
  @Nested
  class HandWritten extends ReplayPeerContract {

    static final ServedFixtures FIXTURES = ServedFixtures.handWritten("lmstudio", CHAT_PATH);
    static final String MODEL = "granite-3.0-2b-instruct";

    HandWritten() {
      // the hand-written exchanges fix responses, not requests
      super(allCapabilitiesBut(RECORDED_REQUESTS), LmStudioContractTest::provider);
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
      ContractRecordings.Builder recordings =
          ContractRecordings.builder(MODEL)
              .models(FIXTURES.get("models", MODELS_PATH), Set.of(MODEL, "qwen2-vl-7b-instruct"))
              .health(FIXTURES.get("models", MODELS_PATH))
              .conversation(
                  FIXTURES.conversation(
                      request,
                      "Greetings, I'm a helpful AI, here to assist,\n"
                          + "In providing answers, with no distress.",
                      FinishReason.STOP,
                      usage,
                      MODEL))
              .tools(FIXTURES.weatherToolCall(MODEL, "365174485", "{\"location\":\"Boston, MA\"}"))
              .error(FIXTURES.error("error_404_model_not_found", ModelNotFound.class))
              // a bare-string error; its message says the prompt exceeds the context
              .error(
                  FIXTURES.error("error_400_context_length_exceeded", ContextLengthExceeded.class))
              .error(FIXTURES.streamError("error_in_stream", Unavailable.class));
      openAiChatSchema().ifPresent(schema -> recordings.requestSchema(schema, CHAT_PATH));
      return recordings.build();
    }
  }
}
