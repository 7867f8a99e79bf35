package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A chat call, independent of the model that will serve it (the router picks that). Only fields
 * that were set are sent on the wire, which is why the optional ones are optionals.
 *
 * @param messages the conversation, at least one message
 * @param maxTokens the most tokens to generate
 * @param temperature sampling temperature, 0-2
 * @param topP nucleus sampling mass, above 0 and at most 1
 * @param frequencyPenalty -2 to 2: positive values make a token less likely the more often it
 *     already appeared
 * @param presencePenalty -2 to 2: positive values make a token that already appeared less likely
 * @param stop sequences that end generation
 * @param seed a sampling seed, where the provider honours one
 * @param tools functions the model may call
 * @param toolChoice the caller's tool choice as given ({@code auto}, {@code none}, {@code
 *     required}, or a JSON object as text); null when unset
 * @param responseFormat the shape the answer's text must have; {@link ResponseFormat#TEXT} when
 *     unset
 * @param metadata free key-value pairs passed through to the routing trace
 */
public record ChatRequest(
    List<ChatMessage> messages,
    OptionalInt maxTokens,
    OptionalDouble temperature,
    OptionalDouble topP,
    OptionalDouble frequencyPenalty,
    OptionalDouble presencePenalty,
    List<String> stop,
    OptionalLong seed,
    List<ToolDefinition> tools,
    String toolChoice,
    ResponseFormat responseFormat,
    Map<String, String> metadata) {

  /** Characters per token assumed when estimating a prompt's size before a tokenizer sees it. */
  public static final int CHARS_PER_TOKEN_ESTIMATE = 4;

  public ChatRequest {
    messages = Checks.listOf(messages, "messages");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages: must contain at least one message");
    }
    Checks.notNull(maxTokens, "max_tokens");
    maxTokens.ifPresent(n -> Checks.positive(n, "max_tokens"));
    Checks.inRange(temperature, 0.0, 2.0, "temperature");
    Checks.notNull(topP, "top_p");
    topP.ifPresent(
        p -> Checks.require(p > 0 && p <= 1, "top_p", "must be above 0 and at most 1, was " + p));
    Checks.inRange(frequencyPenalty, -2.0, 2.0, "frequency_penalty");
    Checks.inRange(presencePenalty, -2.0, 2.0, "presence_penalty");
    stop = Checks.listOf(stop == null ? List.of() : stop, "stop");
    Checks.notNull(seed, "seed");
    tools = Checks.listOf(tools == null ? List.of() : tools, "tools");
    responseFormat = responseFormat == null ? ResponseFormat.TEXT : responseFormat;
    metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
  }

  public static ChatRequest of(ChatMessage... messages) {
    return builder().messages(List.of(messages)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.messages = new ArrayList<>(messages);
    builder.maxTokens = maxTokens;
    builder.temperature = temperature;
    builder.topP = topP;
    builder.frequencyPenalty = frequencyPenalty;
    builder.presencePenalty = presencePenalty;
    builder.stop = stop;
    builder.seed = seed;
    builder.tools = tools;
    builder.toolChoice = toolChoice;
    builder.responseFormat = responseFormat;
    builder.metadata = metadata;
    return builder;
  }

  /**
   * Tokens of context this request needs: the prompt's characters divided by {@link
   * #CHARS_PER_TOKEN_ESTIMATE} (rounded up) plus {@code max_tokens} when set. An estimate for
   * choosing a model whose context is large enough, not a tokenizer's count.
   */
  public int estimatedContextTokens() {
    return (int) Math.min(Integer.MAX_VALUE, (long) estimatedPromptTokens() + maxTokens.orElse(0));
  }

  /**
   * The prompt's tokens as {@link #estimatedContextTokens} counts them, without {@code max_tokens}.
   */
  public int estimatedPromptTokens() {
    long chars = 0;
    for (ChatMessage message : messages) {
      chars += message.content().length();
    }
    return tokensForChars(chars);
  }

  /** Tokens of a text as estimated without a tokenizer: its characters / 4, rounded up. */
  public static int estimatedTokens(CharSequence text) {
    return tokensForChars(text.length());
  }

  private static int tokensForChars(long chars) {
    return (int)
        Math.min(
            Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN_ESTIMATE - 1) / CHARS_PER_TOKEN_ESTIMATE);
  }

  public static final class Builder {
    private List<ChatMessage> messages = new ArrayList<>();
    private OptionalInt maxTokens = OptionalInt.empty();
    private OptionalDouble temperature = OptionalDouble.empty();
    private OptionalDouble topP = OptionalDouble.empty();
    private OptionalDouble frequencyPenalty = OptionalDouble.empty();
    private OptionalDouble presencePenalty = OptionalDouble.empty();
    private List<String> stop = List.of();
    private OptionalLong seed = OptionalLong.empty();
    private List<ToolDefinition> tools = List.of();
    private String toolChoice;
    private ResponseFormat responseFormat = ResponseFormat.TEXT;
    private Map<String, String> metadata = Map.of();

    private Builder() {}

    public Builder messages(List<ChatMessage> messages) {
      this.messages = new ArrayList<>(messages);
      return this;
    }

    public Builder addMessage(ChatMessage message) {
      this.messages.add(message);
      return this;
    }

    public Builder maxTokens(int maxTokens) {
      this.maxTokens = OptionalInt.of(maxTokens);
      return this;
    }

    public Builder temperature(double temperature) {
      this.temperature = OptionalDouble.of(temperature);
      return this;
    }

    public Builder topP(double topP) {
      this.topP = OptionalDouble.of(topP);
      return this;
    }

    public Builder frequencyPenalty(double frequencyPenalty) {
      this.frequencyPenalty = OptionalDouble.of(frequencyPenalty);
      return this;
    }

    public Builder presencePenalty(double presencePenalty) {
      this.presencePenalty = OptionalDouble.of(presencePenalty);
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop = stop;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    public Builder tools(List<ToolDefinition> tools) {
      this.tools = tools;
      return this;
    }

    public Builder toolChoice(String toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata;
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(
          messages,
          maxTokens,
          temperature,
          topP,
          frequencyPenalty,
          presencePenalty,
          stop,
          seed,
          tools,
          toolChoice,
          responseFormat,
          metadata);
    }
  }
}
