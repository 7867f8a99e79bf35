package dev.tta.models.testkit;

import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.OpenApiRequestValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The recorded exchanges a provider's contract test replays, and what each must give, worked out by
 * hand from the recordings. Only the parts that the declared capabilities use are needed.
 *
 * @param modelId the model the cases load
 * @param models the model listing served (none for a provider that lists without a peer)
 * @param expectedModelIds ids the listing must contain
 * @param contextLengths windows the listing must give, by model id
 * @param health what the health check asks for
 * @param conversation a chat recorded both whole and streamed, with the same text
 * @param tools a chat that ends in tool calls
 * @param errors recorded error payloads and the exception each must become
 * @param requestSchema the schema every request to {@code validatedPath} must satisfy
 * @param validatedPath the path whose request bodies are validated
 */
public record ContractRecordings(
    String modelId,
    Optional<Exchange> models,
    Set<String> expectedModelIds,
    Map<String, Integer> contextLengths,
    Optional<Exchange> health,
    Optional<Conversation> conversation,
    Optional<ToolScenario> tools,
    List<ErrorCase> errors,
    Optional<OpenApiRequestValidator> requestSchema,
    String validatedPath) {

  public ContractRecordings {
    Objects.requireNonNull(modelId, "modelId");
    expectedModelIds = Set.copyOf(expectedModelIds);
    contextLengths = Map.copyOf(contextLengths);
    errors = List.copyOf(errors);
  }

  public static Builder builder(String modelId) {
    return new Builder(modelId);
  }

  /**
   * The same conversation recorded as one answer and as a stream, or, with a model run in process,
   * the answer worked out for it.
   *
   * @param request what the cases send
   * @param chat the whole answer; its recorded request, if any, is what must be sent (none in
   *     process)
   * @param stream the streamed answer; its recorded request, if any, is what must be sent (none in
   *     process)
   * @param text the answer's text
   * @param finishReason the answer's finish reason
   * @param usage the whole answer's usage
   * @param servedModel the model id the server names
   * @param streamUsage the usage the stream reports, where it reports one
   */
  public record Conversation(
      ChatRequest request,
      Optional<Exchange> chat,
      Optional<Exchange> stream,
      String text,
      FinishReason finishReason,
      Usage usage,
      String servedModel,
      Optional<Usage> streamUsage) {

    /** A conversation recorded whole and streamed. */
    public Conversation(
        ChatRequest request,
        Exchange chat,
        Exchange stream,
        String text,
        FinishReason finishReason,
        Usage usage,
        String servedModel,
        Optional<Usage> streamUsage) {
      this(
          request,
          Optional.of(chat),
          Optional.of(stream),
          text,
          finishReason,
          usage,
          servedModel,
          streamUsage);
    }

    /** A conversation with a model run in process: nothing is served, the answer is expected. */
    public static Conversation inProcess(
        ChatRequest request,
        String text,
        FinishReason finishReason,
        Usage usage,
        String servedModel,
        Optional<Usage> streamUsage) {
      return new Conversation(
          request,
          Optional.empty(),
          Optional.empty(),
          text,
          finishReason,
          usage,
          servedModel,
          streamUsage);
    }
  }

  /**
   * A chat that ends in tool calls.
   *
   * @param modelId the model the recorded request was for
   * @param request a request with tools
   * @param chat the recorded answer; its recorded request, if any, is what must be sent
   * @param toolCalls the calls the answer must carry
   */
  public record ToolScenario(
      String modelId, ChatRequest request, Exchange chat, List<ToolCall> toolCalls) {}

  /** Which call meets a recorded error. */
  public enum Operation {
    CHAT,
    STREAM
  }

  /**
   * A recorded error and the exception it must become.
   *
   * @param exchange the recorded response, served where the operation sends its request
   * @param operation the call that meets it
   * @param expected the exception class
   * @param retryAfter for a rate limit, the wait the recording asks for
   * @param apiKey the key to configure (the recording may echo it; the exception must not)
   */
  public record ErrorCase(
      Exchange exchange,
      Operation operation,
      Class<? extends ProviderException> expected,
      Optional<Duration> retryAfter,
      Optional<String> apiKey) {

    public static ErrorCase chat(Exchange exchange, Class<? extends ProviderException> expected) {
      return new ErrorCase(exchange, Operation.CHAT, expected, Optional.empty(), Optional.empty());
    }

    public static ErrorCase stream(Exchange exchange, Class<? extends ProviderException> expected) {
      return new ErrorCase(
          exchange, Operation.STREAM, expected, Optional.empty(), Optional.empty());
    }

    public ErrorCase withRetryAfter(Duration retryAfter) {
      return new ErrorCase(exchange, operation, expected, Optional.of(retryAfter), apiKey);
    }

    public ErrorCase withApiKey(String apiKey) {
      return new ErrorCase(exchange, operation, expected, retryAfter, Optional.of(apiKey));
    }
  }

  public static final class Builder {
    private final String modelId;
    private Exchange models;
    private Set<String> expectedModelIds = Set.of();
    private final Map<String, Integer> contextLengths = new HashMap<>();
    private Exchange health;
    private Conversation conversation;
    private ToolScenario tools;
    private final List<ErrorCase> errors = new ArrayList<>();
    private OpenApiRequestValidator requestSchema;
    private String validatedPath = "";

    private Builder(String modelId) {
      this.modelId = modelId;
    }

    public Builder models(Exchange models, Set<String> expectedModelIds) {
      this.models = models;
      this.expectedModelIds = expectedModelIds;
      return this;
    }

    /** The ids a listing must contain, for a provider that lists without a peer. */
    public Builder listed(Set<String> expectedModelIds) {
      this.expectedModelIds = expectedModelIds;
      return this;
    }

    /** The window the listing must give the model. */
    public Builder contextLength(String modelId, int tokens) {
      this.contextLengths.put(modelId, tokens);
      return this;
    }

    public Builder health(Exchange health) {
      this.health = health;
      return this;
    }

    public Builder conversation(Conversation conversation) {
      this.conversation = conversation;
      return this;
    }

    public Builder tools(ToolScenario tools) {
      this.tools = tools;
      return this;
    }

    public Builder error(ErrorCase error) {
      this.errors.add(error);
      return this;
    }

    public Builder requestSchema(OpenApiRequestValidator schema, String validatedPath) {
      this.requestSchema = schema;
      this.validatedPath = validatedPath;
      return this;
    }

    public ContractRecordings build() {
      return new ContractRecordings(
          modelId,
          Optional.ofNullable(models),
          expectedModelIds,
          contextLengths,
          Optional.ofNullable(health),
          Optional.ofNullable(conversation),
          Optional.ofNullable(tools),
          errors,
          Optional.ofNullable(requestSchema),
          validatedPath);
    }
  }
}
