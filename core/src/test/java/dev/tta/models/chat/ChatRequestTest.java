package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  private static final ChatMessage HELLO = ChatMessage.user("hello");

  private static ChatRequest.Builder hello() {
    return ChatRequest.builder().addMessage(HELLO);
  }

  private static ChatRequest withOptionals(
      OptionalInt maxTokens, OptionalDouble temperature, OptionalDouble topP, OptionalLong seed) {
    return new ChatRequest(
        List.of(HELLO),
        maxTokens,
        temperature,
        topP,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        null,
        seed,
        null,
        null,
        null,
        null);
  }

  @Test
  void charsPerTokenEstimate_isFour() {
    assertThat(ChatRequest.CHARS_PER_TOKEN_ESTIMATE).isEqualTo(4);
  }

  @Test
  void of_theMessagesAndNothingElseSet() {
    ChatRequest request = ChatRequest.of(ChatMessage.system("be kind"), HELLO);

    assertThat(request.messages()).containsExactly(ChatMessage.system("be kind"), HELLO);
    assertThat(request.maxTokens()).isEmpty();
    assertThat(request.temperature()).isEmpty();
    assertThat(request.topP()).isEmpty();
    assertThat(request.stop()).isEmpty();
    assertThat(request.seed()).isEmpty();
    assertThat(request.tools()).isEmpty();
    assertThat(request.toolChoice()).isNull();
    assertThat(request.responseFormat()).isEqualTo(new ResponseFormat.Text());
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void builder_everySetterReachesTheRecord() {
    ToolDefinition weather = new ToolDefinition("weather", "today's weather", "{}");
    ChatRequest request =
        ChatRequest.builder()
            .messages(List.of(ChatMessage.system("s")))
            .addMessage(HELLO)
            .maxTokens(256)
            .temperature(0.7)
            .topP(0.9)
            .stop(List.of("\n\n"))
            .seed(42)
            .tools(List.of(weather))
            .toolChoice("auto")
            .responseFormat(new ResponseFormat.JsonObject())
            .metadata(Map.of("session", "abc"))
            .build();

    assertThat(request.messages()).containsExactly(ChatMessage.system("s"), HELLO);
    assertThat(request.maxTokens()).hasValue(256);
    assertThat(request.temperature()).hasValue(0.7);
    assertThat(request.topP()).hasValue(0.9);
    assertThat(request.stop()).containsExactly("\n\n");
    assertThat(request.seed()).hasValue(42L);
    assertThat(request.tools()).containsExactly(weather);
    assertThat(request.toolChoice()).isEqualTo("auto");
    assertThat(request.responseFormat()).isEqualTo(new ResponseFormat.JsonObject());
    assertThat(request.metadata()).containsExactly(Map.entry("session", "abc"));
  }

  @Test
  void messages_emptyRefused() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages: must contain at least one message");
    assertThatThrownBy(ChatRequest::of).hasMessage("messages: must contain at least one message");
  }

  @Test
  void messages_nullListOrNullMessageRefused() {
    assertThatThrownBy(
            () ->
                new ChatRequest(
                    null,
                    OptionalInt.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    null,
                    OptionalLong.empty(),
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages: is required");
    assertThatThrownBy(() -> ChatRequest.builder().messages(Arrays.asList(HELLO, null)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[1]: must not be null");
  }

  @Test
  void messages_copiedSoLaterChangesDoNotLeakIn() {
    List<ChatMessage> messages = new ArrayList<>(List.of(HELLO));
    ChatRequest request = ChatRequest.builder().messages(messages).build();
    messages.add(ChatMessage.user("later"));

    assertThat(request.messages()).containsExactly(HELLO);
    assertThatThrownBy(() -> request.messages().add(HELLO))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void maxTokens_positive() {
    assertThat(hello().maxTokens(1).build().maxTokens()).hasValue(1);
    assertThatThrownBy(() -> hello().maxTokens(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_tokens: must be greater than 0, was 0");
    assertThatThrownBy(
            () ->
                withOptionals(
                    null, OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty()))
        .hasMessage("max_tokens: is required");
  }

  @Test
  void temperature_zeroToTwo() {
    assertThat(hello().temperature(0).build().temperature()).hasValue(0.0);
    assertThat(hello().temperature(2).build().temperature()).hasValue(2.0);
    assertThatThrownBy(() -> hello().temperature(2.01).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature: must be between 0.0 and 2.0, was 2.01");
    assertThatThrownBy(() -> hello().temperature(-0.01).build())
        .hasMessage("temperature: must be between 0.0 and 2.0, was -0.01");
    assertThatThrownBy(
            () ->
                withOptionals(
                    OptionalInt.empty(), null, OptionalDouble.empty(), OptionalLong.empty()))
        .hasMessage("temperature: is required");
  }

  @Test
  void topP_aboveZeroAndAtMostOne() {
    assertThat(hello().topP(1).build().topP()).hasValue(1.0);
    assertThat(hello().topP(0.01).build().topP()).hasValue(0.01);
    assertThatThrownBy(() -> hello().topP(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top_p: must be above 0 and at most 1, was 0.0");
    assertThatThrownBy(() -> hello().topP(1.01).build())
        .hasMessage("top_p: must be above 0 and at most 1, was 1.01");
    assertThatThrownBy(() -> hello().topP(Double.NaN).build())
        .hasMessage("top_p: must be above 0 and at most 1, was NaN");
    assertThatThrownBy(
            () ->
                withOptionals(
                    OptionalInt.empty(), OptionalDouble.empty(), null, OptionalLong.empty()))
        .hasMessage("top_p: is required");
  }

  @Test
  void penalties_minusTwoToTwo() {
    ChatRequest request = hello().frequencyPenalty(-2).presencePenalty(2).build();
    assertThat(request.frequencyPenalty()).hasValue(-2.0);
    assertThat(request.presencePenalty()).hasValue(2.0);
    assertThat(hello().build().frequencyPenalty()).isEmpty();
    assertThat(hello().build().presencePenalty()).isEmpty();
    assertThatThrownBy(() -> hello().frequencyPenalty(2.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frequency_penalty: must be between -2.0 and 2.0, was 2.5");
    assertThatThrownBy(() -> hello().presencePenalty(-2.01).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("presence_penalty: must be between -2.0 and 2.0, was -2.01");
  }

  @Test
  void seed_required() {
    assertThatThrownBy(
            () ->
                withOptionals(
                    OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seed: is required");
  }

  @Test
  void stopToolsAndMetadata_nullBecomesEmpty() {
    ChatRequest request =
        withOptionals(
            OptionalInt.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalLong.empty());

    assertThat(request.stop()).isEmpty();
    assertThat(request.tools()).isEmpty();
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void stopAndTools_nullEntriesRefused() {
    assertThatThrownBy(() -> hello().stop(Arrays.asList("a", null)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stop[1]: must not be null");
    assertThatThrownBy(() -> hello().tools(Arrays.asList((ToolDefinition) null)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tools[0]: must not be null");
  }

  @Test
  void metadata_copied() {
    Map<String, String> metadata = new HashMap<>(Map.of("a", "1"));
    ChatRequest request = hello().metadata(metadata).build();
    metadata.put("b", "2");

    assertThat(request.metadata()).containsExactly(Map.entry("a", "1"));
  }

  @Test
  void estimatedContextTokens_tenCharactersAreThreeTokens() {
    // "0123456789" is 10 characters: ceil(10 / 4) = 3
    assertThat(ChatRequest.of(ChatMessage.user("0123456789")).estimatedContextTokens())
        .isEqualTo(3);
  }

  @Test
  void estimatedContextTokens_roundsUpOnlyWhenThereIsARemainder() {
    // 8 characters: 8 / 4 = 2 exactly
    assertThat(ChatRequest.of(ChatMessage.user("12345678")).estimatedContextTokens()).isEqualTo(2);
    // 9 characters: ceil(9 / 4) = 3
    assertThat(ChatRequest.of(ChatMessage.user("123456789")).estimatedContextTokens()).isEqualTo(3);
    // 1 character: ceil(1 / 4) = 1
    assertThat(ChatRequest.of(ChatMessage.user("x")).estimatedContextTokens()).isEqualTo(1);
    // no characters: 0
    assertThat(ChatRequest.of(ChatMessage.user("")).estimatedContextTokens()).isZero();
  }

  @Test
  void estimatedContextTokens_sumsAllMessagesThenAddsMaxTokens() {
    // "be kind" 7 + "hello" 5 = 12 characters: 12 / 4 = 3; plus max_tokens 100 = 103
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("be kind"))
            .addMessage(HELLO)
            .maxTokens(100)
            .build();

    assertThat(request.estimatedContextTokens()).isEqualTo(103);
  }

  @Test
  void estimatedContextTokens_tenCharactersPlusMaxTokens() {
    // ceil(10 / 4) = 3; plus max_tokens 50 = 53
    ChatRequest request =
        ChatRequest.builder().addMessage(ChatMessage.user("0123456789")).maxTokens(50).build();

    assertThat(request.estimatedContextTokens()).isEqualTo(53);
  }

  @Test
  void estimatedContextTokens_cappedAtIntegerMax() {
    // ceil(5 / 4) = 2; plus max_tokens 2147483647 = 2147483649, above Integer.MAX_VALUE
    ChatRequest request = hello().maxTokens(Integer.MAX_VALUE).build();

    assertThat(request.estimatedContextTokens()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void toBuilder_roundTripKeepsEveryField() {
    ChatRequest original =
        hello()
            .maxTokens(64)
            .temperature(1.2)
            .topP(0.5)
            .frequencyPenalty(0.25)
            .presencePenalty(-0.5)
            .stop(List.of("END"))
            .seed(-7)
            .tools(List.of(new ToolDefinition("f", null, null)))
            .toolChoice("required")
            .responseFormat(
                new ResponseFormat.JsonSchema("answer", "", "{\"type\":\"object\"}", true))
            .metadata(Map.of("k", "v"))
            .build();

    assertThat(original.toBuilder().build()).isEqualTo(original);
  }

  @Test
  void toBuilder_addingAMessageLeavesTheOriginalAlone() {
    ChatRequest original = ChatRequest.of(HELLO);

    ChatRequest longer = original.toBuilder().addMessage(ChatMessage.assistant("hi")).build();

    assertThat(longer.messages()).containsExactly(HELLO, ChatMessage.assistant("hi"));
    assertThat(original.messages()).containsExactly(HELLO);
  }
}
