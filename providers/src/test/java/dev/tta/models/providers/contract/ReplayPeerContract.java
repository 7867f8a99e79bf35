package dev.tta.models.providers.contract;

import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ContractRecordings.ErrorCase;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.HandWrittenRequests;
import dev.tta.models.testkit.Peer;
import dev.tta.models.testkit.ProviderTarget;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.OpenApiRequestValidator;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract suite for a provider that talks HTTP, against a {@link ReplayPeer} of its own: a
 * subclass declares its capabilities and how to build the provider, and supplies only its
 * recordings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReplayPeerContract extends DeclaredProviderContract {

  // one for all the cases (hence one instance per class), which the suite resets before each
  private ReplayPeer peer;

  protected ReplayPeerContract(
      Set<Capability> capabilities, Function<ProviderTarget, ? extends ModelProvider> factory) {
    super(capabilities, factory);
  }

  /**
   * The connection as the suite's target asks for it: its health timeout, its key where it has one,
   * and a short connect timeout.
   */
  public static OpenAiClientConfig.Builder connectedTo(
      ProviderTarget target, OpenAiClientConfig.Builder connection) {
    connection.healthTimeout(target.healthTimeout()).connectTimeout(Duration.ofSeconds(2));
    target.apiKey().ifPresent(key -> connection.apiKey(Secret.of(key)));
    return connection;
  }

  /** OpenAI's published chat request schema, where {@code ../shared} has it. */
  protected static Optional<OpenApiRequestValidator> openAiChatSchema() {
    return OpenApiRequestValidator.shared(
        "openai", OpenApiRequestValidator.CHAT_COMPLETION_REQUEST);
  }

  @BeforeAll
  void startPeer() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  void stopPeer() {
    peer.close();
  }

  @Override
  protected final Peer peer() {
    return Peer.replay(peer);
  }

  /**
   * A provider's fixtures served where it sends its requests: chats at its chat path. The names
   * {@code chat}, {@code chat_stream} and {@code chat_tools} are those of the hand-written
   * exchanges in the testkit.
   */
  public record ServedFixtures(FixtureSet fixtures, String chatPath) {

    public ServedFixtures {
      Objects.requireNonNull(fixtures, "fixtures");
      Objects.requireNonNull(chatPath, "chatPath");
    }

    /** The exchanges the testkit keeps, written by hand, in {@code fixtures/<folder>}. */
    public static ServedFixtures handWritten(String folder, String chatPath) {
      return new ServedFixtures(
          FixtureSet.classpath("/dev/tta/models/testkit/fixtures/" + folder), chatPath);
    }

    /** The exchange, served for a chat request. */
    public Exchange chat(String name) {
      return fixtures.exchange(name).servedAt("POST", chatPath);
    }

    /** The exchange, served for a GET of the path. */
    public Exchange get(String name, String path) {
      return fixtures.exchange(name).servedAt("GET", path);
    }

    /** A recording kept as a bare JSON body, served with status 200. */
    public Exchange json(String name, String method, String path) {
      return Exchange.of(
          name, method, path, RecordedResponse.of(200, "application/json", fixtures.bytes(name)));
    }

    /**
     * The answer recorded whole as {@code chat} and streamed as {@code chat_stream}, the stream
     * reporting the same usage.
     */
    public Conversation conversation(
        ChatRequest request, String text, FinishReason finishReason, Usage usage, String model) {
      return new Conversation(
          request,
          chat("chat"),
          chat("chat_stream"),
          text,
          finishReason,
          usage,
          model,
          Optional.of(usage));
    }

    /** The answer {@code chat_tools}, which calls one tool. */
    public ToolScenario toolCall(String modelId, ChatRequest request, ToolCall call) {
      return new ToolScenario(modelId, request, chat("chat_tools"), List.of(call));
    }

    /**
     * The answer {@code chat_tools} to {@link HandWrittenRequests#weatherTool()}: one call of its
     * {@code get_current_weather}.
     */
    public ToolScenario weatherToolCall(String modelId, String callId, String arguments) {
      return toolCall(
          modelId,
          HandWrittenRequests.weatherTool(),
          new ToolCall(callId, "get_current_weather", arguments));
    }

    /** A recorded error that a chat meets. */
    public ErrorCase error(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.chat(chat(name), expected);
    }

    /** A recorded error that a stream meets. */
    public ErrorCase streamError(String name, Class<? extends ProviderException> expected) {
      return ErrorCase.stream(chat(name), expected);
    }
  }
}
