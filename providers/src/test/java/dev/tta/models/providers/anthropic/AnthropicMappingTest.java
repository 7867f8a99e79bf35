package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.testkit.replay.FixtureSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicMappingTest {

  static final String WEATHER_SCHEMA =
      """
      {"additionalProperties": false,
       "properties": {"location": {"title": "Location", "type": "string"},
                      "units": {"enum": ["c", "f"], "title": "Units", "type": "string"}},
       "required": ["location", "units"], "type": "object"}""";

  static JsonNode json(String text) throws Exception {
    return OpenAiJson.mapper().readTree(text);
  }

  static JsonNode recorded(String name) throws Exception {
    return OpenAiJson.mapper().readTree(FixtureSet.shared("anthropic").bytes(name));
  }

  static ChatRequest.Builder weather() {
    return ChatRequest.builder()
        .addMessage(ChatMessage.user("What's the weather in SF in Celsius?"))
        .maxTokens(1024)
        .tools(List.of(new ToolDefinition("get_weather", "", WEATHER_SCHEMA)));
  }

  /** The request the Anthropic SDK sent live (messages_request.json), field for field. */
  @Test
  void recordedRequest_sameBody() throws Exception {
    ObjectNode body =
        AnthropicMapping.requestBody("claude-haiku-4-5", weather().build(), 64, false);

    assertThat(body).isEqualTo(recorded("messages_request.json"));
  }

  /**
   * The follow-up turn (messages_request_tool_result.json): the tool call and its result. The SDK
   * echoed a {@code caller} field into the tool_use block, which the API itself added to the
   * answer; we send the block without it.
   */
  @Test
  void recordedToolResultRequest_sameBodyButTheEchoedCaller() throws Exception {
    ChatRequest request =
        weather()
            .addMessage(
                ChatMessage.assistantToolCalls(
                    List.of(
                        new ToolCall(
                            "toolu_013DU6hV4C1M8dJ32ybQFAFi",
                            "get_weather",
                            "{\"location\": \"SF\", \"units\": \"c\"}"))))
            .addMessage(
                ChatMessage.tool(
                    "toolu_013DU6hV4C1M8dJ32ybQFAFi",
                    "{\"location\": \"SF\", \"temperature\": \"20\\u00b0C\", \"condition\":"
                        + " \"Sunny\"}"))
            .build();
    JsonNode expected = recorded("messages_request_tool_result.json");
    ((ObjectNode) expected.path("messages").path(1).path("content").path(0)).remove("caller");

    assertThat(AnthropicMapping.requestBody("claude-haiku-4-5", request, 64, false))
        .isEqualTo(expected);
  }

  @Test
  void systemMessages_joinedIntoSystem_optionsAndStreamSentOnlyWhenSet() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("Be calm."))
            .addMessage(ChatMessage.user("Hi"))
            .addMessage(ChatMessage.assistant("Hello."))
            .addMessage(ChatMessage.system("Be brief."))
            .addMessage(ChatMessage.user("Bye"))
            .temperature(0.5)
            .topP(0.9)
            .stop(List.of("END"))
            .build();

    assertThat(AnthropicMapping.requestBody("m", request, 300, true))
        .isEqualTo(
            json(
                """
                {"model":"m","max_tokens":300,
                 "messages":[{"role":"user","content":"Hi"},
                             {"role":"assistant","content":"Hello."},
                             {"role":"user","content":"Bye"}],
                 "system":"Be calm.\\n\\nBe brief.",
                 "temperature":0.5,"top_p":0.9,"stop_sequences":["END"],"stream":true}"""));
    assertThat(
            AnthropicMapping.requestBody("m", ChatRequest.of(ChatMessage.user("Hi")), 300, false))
        .isEqualTo(
            json(
                """
                {"model":"m","max_tokens":300,
                 "messages":[{"role":"user","content":"Hi"}]}"""));
  }

  @Test
  void consecutiveToolResults_shareOneUserTurn_andAnAssistantTextPrecedesItsCalls()
      throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("Both?"))
            .addMessage(
                new ChatMessage(
                    dev.tta.models.chat.Role.ASSISTANT,
                    "Checking.",
                    List.of(new ToolCall("a", "f", "{}"), new ToolCall("b", "g", "{\"x\":1}")),
                    null))
            .addMessage(ChatMessage.tool("a", "1"))
            .addMessage(ChatMessage.tool("b", "2"))
            .addMessage(ChatMessage.user("Thanks"))
            .addMessage(ChatMessage.tool("c", "3"))
            .build();

    assertThat(AnthropicMapping.requestBody("m", request, 10, false).path("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"Both?"},
                 {"role":"assistant","content":[
                    {"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"a","name":"f","input":{}},
                    {"type":"tool_use","id":"b","name":"g","input":{"x":1}}]},
                 {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"a","content":"1"},
                    {"type":"tool_result","tool_use_id":"b","content":"2"}]},
                 {"role":"user","content":"Thanks"},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"3"}]}]"""));
  }

  @Test
  void toolChoices_mappedToAnthropics() throws Exception {
    assertThat(choice("auto")).isEqualTo(json("{\"type\":\"auto\"}"));
    assertThat(choice(" none ")).isEqualTo(json("{\"type\":\"none\"}"));
    assertThat(choice("required")).isEqualTo(json("{\"type\":\"any\"}"));
    assertThat(choice("get_weather"))
        .isEqualTo(json("{\"type\":\"tool\",\"name\":\"get_weather\"}"));
    assertThat(choice("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"))
        .isEqualTo(json("{\"type\":\"tool\",\"name\":\"get_weather\"}"));
    assertThat(AnthropicMapping.requestBody("m", weather().build(), 1, false).has("tool_choice"))
        .isFalse();
    assertThatThrownBy(() -> choice("{\"type\":\"function\"}"))
        .hasMessage("tool_choice: names no function, was '{\"type\":\"function\"}'");
    assertThatThrownBy(() -> choice("{broken")).hasMessage("tool_choice: is not valid JSON");
  }

  @Test
  void badToolJson_refusedNamingWhere() {
    ChatRequest badSchema =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("x"))
            .tools(List.of(new ToolDefinition("t", "", "{nope")))
            .build();
    assertThatThrownBy(() -> AnthropicMapping.requestBody("m", badSchema, 1, false))
        .hasMessage("tools[t]: is not valid JSON");
    ChatRequest badArguments =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("x"))
            .addMessage(ChatMessage.assistantToolCalls(List.of(new ToolCall("id1", "t", "{nope"))))
            .addMessage(ChatMessage.tool("id1", "r"))
            .build();
    assertThatThrownBy(() -> AnthropicMapping.requestBody("m", badArguments, 1, false))
        .hasMessage("tool call id1: is not valid JSON");
  }

  private static JsonNode choice(String toolChoice) {
    return AnthropicMapping.requestBody("m", weather().toolChoice(toolChoice).build(), 1, false)
        .path("tool_choice");
  }

  @Test
  void recordedAnswer_textUsageModel() throws Exception {
    ChatResponse response =
        AnthropicMapping.response(recorded("messages_response.json"), "claude-haiku-4-5");

    assertThat(response.text())
        .isEqualTo("The weather in SF is currently **20°C** (68°F) and **Sunny**!");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(response.id()).isEqualTo("msg_01LzoWDaDa7jiMvVbBiguxJy");
    assertThat(response.usage()).contains(new Usage(705, 25));
  }

  @Test
  void recordedToolUse_becomesAToolCallWithItsInputAsJsonText() throws Exception {
    ChatResponse response =
        AnthropicMapping.response(recorded("messages_response_tool_use.json"), "claude-haiku-4-5");

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall(
                "toolu_013DU6hV4C1M8dJ32ybQFAFi",
                "get_weather",
                "{\"location\":\"SF\",\"units\":\"c\"}"));
    assertThat(response.text()).isEmpty();
    assertThat(response.usage()).contains(new Usage(597, 71));
  }

  @Test
  void stopReasons_andMissingParts() throws Exception {
    assertThat(AnthropicMapping.finishReason("end_turn")).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicMapping.finishReason("stop_sequence")).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicMapping.finishReason("pause_turn")).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicMapping.finishReason("max_tokens")).isEqualTo(FinishReason.LENGTH);
    assertThat(AnthropicMapping.finishReason("tool_use")).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(AnthropicMapping.finishReason("refusal")).isEqualTo(FinishReason.CONTENT_FILTER);

    ChatResponse bare =
        AnthropicMapping.response(
            json("{\"content\":[{\"type\":\"thinking\"},{\"type\":\"text\",\"text\":\"a\"}]}"),
            "asked");
    assertThat(bare.model()).isEqualTo("asked");
    assertThat(bare.text()).isEqualTo("a");
    assertThat(bare.usage()).isEmpty();
    assertThat(AnthropicMapping.usage(json("{\"output_tokens\":3}"))).contains(new Usage(0, 3));
    assertThatThrownBy(() -> AnthropicMapping.response(json("{\"type\":\"message\"}"), "m"))
        .hasMessage("the answer has no 'content' array");
  }
}
