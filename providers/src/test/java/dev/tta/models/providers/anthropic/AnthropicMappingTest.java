package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.testkit.replay.FixtureSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/anthropic");

  /** A whole answer: testkit's hand-written exchange of that name, or the recorded file. */
  static JsonNode answer(String source, String name) throws Exception {
    return source.equals("recorded")
        ? recorded(name)
        : OpenAiJson.mapper().readTree(HAND.exchange(name).response().body());
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
  void handWrittenRequest_toolWithDescriptionAndSchema_defaultMaxTokens() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("Will it rain in Oslo tomorrow?"))
            .tools(
                List.of(
                    new ToolDefinition(
                        "get_forecast",
                        "The forecast for a city",
                        """
                        {"type":"object","properties":{"city":{"type":"string"},
                         "days":{"type":"integer"}},"required":["city"]}""")))
            .build();

    assertThat(AnthropicMapping.requestBody("claude-sonnet-4-5", request, 512, false))
        .isEqualTo(
            json(
                """
                {"model":"claude-sonnet-4-5","max_tokens":512,
                 "messages":[{"role":"user","content":"Will it rain in Oslo tomorrow?"}],
                 "tools":[{"name":"get_forecast","description":"The forecast for a city",
                           "input_schema":{"type":"object",
                                           "properties":{"city":{"type":"string"},
                                                         "days":{"type":"integer"}},
                                           "required":["city"]}}]}"""));
  }

  @Test
  void handWrittenToolResultRequest_callWithoutTextThenItsResult() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("Will it rain in Oslo tomorrow?"))
            .addMessage(
                ChatMessage.assistantToolCalls(
                    List.of(
                        new ToolCall(
                            "toolu_hand_9", "get_forecast", "{\"city\":\"Oslo\",\"days\":1}"))))
            .addMessage(ChatMessage.tool("toolu_hand_9", "{\"rain_mm\": 4}"))
            .maxTokens(200)
            .build();

    assertThat(AnthropicMapping.requestBody("claude-sonnet-4-5", request, 512, false))
        .isEqualTo(
            json(
                """
                {"model":"claude-sonnet-4-5","max_tokens":200,
                 "messages":[{"role":"user","content":"Will it rain in Oslo tomorrow?"},
                             {"role":"assistant","content":[
                                {"type":"tool_use","id":"toolu_hand_9","name":"get_forecast",
                                 "input":{"city":"Oslo","days":1}}]},
                             {"role":"user","content":[
                                {"type":"tool_result","tool_use_id":"toolu_hand_9",
                                 "content":"{\\"rain_mm\\": 4}"}]}]}"""));
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
            // the Messages API has no penalties: not sent
            .frequencyPenalty(0.5)
            .presencePenalty(0.5)
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

  // ---- JSON answers: through a tool the model is made to call ----

  @Test
  void aJsonSchema_isATool_theModelIsMadeToCall() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("What's the weather in SF in Celsius?"))
            .responseFormat(
                new ResponseFormat.JsonSchema("weather_report", "", WEATHER_SCHEMA, true))
            .build();

    assertThat(AnthropicMapping.requestBody("claude-haiku-4-5", request, 64, false))
        .isEqualTo(
            json(
                """
                {"model":"claude-haiku-4-5","max_tokens":64,
                 "messages":[{"role":"user","content":"What's the weather in SF in Celsius?"}],
                 "tools":[{"name":"weather_report",
                           "description":"Give your answer as this tool's input.",
                           "input_schema":%s}],
                 "tool_choice":{"type":"tool","name":"weather_report"}}"""
                    .formatted(WEATHER_SCHEMA)));
  }

  @Test
  void aJsonObject_isAToolOfAnyObject_describedAsTheSchemasDescriptionWhenThereIsOne()
      throws Exception {
    ChatRequest.Builder x = ChatRequest.builder().addMessage(ChatMessage.user("x"));

    assertThat(
            AnthropicMapping.requestBody(
                "m", x.responseFormat(new ResponseFormat.JsonObject()).build(), 8, false))
        .isEqualTo(
            json(
                """
                {"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],
                 "tools":[{"name":"json_object",
                           "description":"Give your answer as this tool's input.",
                           "input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"tool","name":"json_object"}}"""));
    JsonNode described =
        AnthropicMapping.requestBody(
            "m",
            x.responseFormat(new ResponseFormat.JsonSchema("scene", "the next scene", "", false))
                .build(),
            8,
            false);
    assertThat(described.at("/tools/0"))
        .isEqualTo(
            json(
                "{\"name\":\"scene\",\"description\":\"the next scene\","
                    + "\"input_schema\":{\"type\":\"object\"}}"));
  }

  @Test
  void aJsonAnswer_besideTheCallersTools_mustCallOneOfThem_unlessTheCallerChose() throws Exception {
    ChatRequest request = weather().responseFormat(new ResponseFormat.JsonObject()).build();

    JsonNode body = AnthropicMapping.requestBody("m", request, 8, false);
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/1/name").asText()).isEqualTo("json_object");
    assertThat(body.get("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));

    JsonNode chosen =
        AnthropicMapping.requestBody("m", request.toBuilder().toolChoice("auto").build(), 8, false);
    assertThat(chosen.get("tool_choice")).isEqualTo(json("{\"type\":\"auto\"}"));
  }

  @Test
  void aJsonAnswer_thatIsNotAnObject_orNamedAsATool_isRefusedNamingTheField() {
    ChatRequest array =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("x"))
            .responseFormat(
                new ResponseFormat.JsonSchema(
                    "list", "", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false))
            .build();
    assertThatThrownBy(() -> AnthropicMapping.requestBody("m", array, 8, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "response_format.json_schema.schema: the answer must be a JSON object (a tool's input"
                + " is one), the schema's root type was \"array\"");

    ChatRequest clash =
        weather()
            .responseFormat(new ResponseFormat.JsonSchema("get_weather", "", "", false))
            .build();
    assertThatThrownBy(() -> AnthropicMapping.requestBody("m", clash, 8, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "response_format.json_schema.name: 'get_weather' is also the name of one of the"
                + " request's tools; give the schema another name");
  }

  /** The recorded tool_use answer, read as the answer of a JSON request named get_weather. */
  @Test
  void theAnswerToolsInput_isTheAnswersText_andTheAnswerStops() throws Exception {
    ChatResponse response =
        AnthropicMapping.response(
            answer("recorded", "messages_response_tool_use.json"),
            "claude-haiku-4-5",
            Optional.of("get_weather"));

    assertThat(response.text()).isEqualTo("{\"location\":\"SF\",\"units\":\"c\"}");
    assertThat(response.message().toolCalls()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).contains(new Usage(597, 71));
  }

  /** Testkit's hand-written answer: a text block, then get_current_weather's call. */
  @Test
  void theAnswerToolsInput_followsAnyTextBefore_andOtherToolsStayCalls() throws Exception {
    ChatResponse answered =
        AnthropicMapping.response(
            answer("hand-written", "chat_tools"), "m", Optional.of("get_current_weather"));
    assertThat(answered.text()).isEqualTo("Let me check.{\"location\":\"Boston, MA\"}");
    assertThat(answered.finishReason()).isEqualTo(FinishReason.STOP);

    ChatResponse called =
        AnthropicMapping.response(
            answer("hand-written", "chat_tools"), "m", Optional.of("json_object"));
    assertThat(called.message().toolCalls())
        .containsExactly(
            new ToolCall("toolu_hand_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"));
    assertThat(called.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void theAnswerBesideAnotherToolsCall_isTheText_andTheCallStillAsksForTools() throws Exception {
    JsonNode body =
        json(
            """
            {"id":"msg_hand_11","model":"claude-haiku-4-5-20251001","stop_reason":"tool_use",
             "content":[{"type":"tool_use","id":"toolu_a","name":"scene","input":{"mood":"calm"}},
                        {"type":"tool_use","id":"toolu_b","name":"roll_dice","input":{}}],
             "usage":{"input_tokens":50,"output_tokens":20}}""");

    ChatResponse response = AnthropicMapping.response(body, "m", Optional.of("scene"));

    assertThat(response.text()).isEqualTo("{\"mood\":\"calm\"}");
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("toolu_b", "roll_dice", "{}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void aJsonRequestAnsweredInTextThatRanOut_isStillCutShort() throws Exception {
    JsonNode body =
        json(
            """
            {"id":"msg_hand_12","stop_reason":"max_tokens",
             "content":[{"type":"text","text":"{\\"mo"}]}""");

    ChatResponse response = AnthropicMapping.response(body, "m", Optional.of("scene"));

    assertThat(response.text()).isEqualTo("{\"mo");
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  /** A schema whose root names no type (a union, or properties alone) is passed on as it is. */
  @Test
  void aSchemaWithoutARootType_isTheToolsInputSchemaAsItIs() throws Exception {
    String untyped = "{\"properties\":{\"mood\":{\"type\":\"string\"}},\"required\":[\"mood\"]}";
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("x"))
            .responseFormat(new ResponseFormat.JsonSchema("scene", "", untyped, false))
            .build();

    assertThat(AnthropicMapping.requestBody("m", request, 8, false).at("/tools/0/input_schema"))
        .isEqualTo(json(untyped));
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

  /** Values read by hand from each answer's body. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "hand-written | chat | I hear you. Let's take one slow breath together. | msg_hand_1 | 31 | 14",
        "recorded | messages_response.json | The weather in SF is currently **20°C** (68°F) and"
            + " **Sunny**! | msg_01LzoWDaDa7jiMvVbBiguxJy | 705 | 25"
      })
  void answers_textUsageModel(
      String source, String name, String text, String id, int input, int output) throws Exception {
    ChatResponse response =
        AnthropicMapping.response(answer(source, name), "claude-haiku-4-5", Optional.empty());

    assertThat(response.text()).isEqualTo(text);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(response.id()).isEqualTo(id);
    assertThat(response.usage()).contains(new Usage(input, output));
  }

  static Stream<Arguments> toolUseAnswers() {
    return Stream.of(
        // a text block before the tool_use block
        Arguments.of(
            "hand-written",
            "chat_tools",
            new ToolCall("toolu_hand_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"),
            "Let me check.",
            new Usage(120, 40)),
        Arguments.of(
            "recorded",
            "messages_response_tool_use.json",
            new ToolCall(
                "toolu_013DU6hV4C1M8dJ32ybQFAFi",
                "get_weather",
                "{\"location\":\"SF\",\"units\":\"c\"}"),
            "",
            new Usage(597, 71)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("toolUseAnswers")
  void toolUse_becomesAToolCallWithItsInputAsJsonText(
      String source, String name, ToolCall call, String text, Usage usage) throws Exception {
    ChatResponse response =
        AnthropicMapping.response(answer(source, name), "claude-haiku-4-5", Optional.empty());

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls()).containsExactly(call);
    assertThat(response.text()).isEqualTo(text);
    assertThat(response.usage()).contains(usage);
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
            "asked",
            Optional.empty());
    assertThat(bare.model()).isEqualTo("asked");
    assertThat(bare.text()).isEqualTo("a");
    assertThat(bare.usage()).isEmpty();
    assertThat(AnthropicMapping.usage(json("{\"output_tokens\":3}"))).contains(new Usage(0, 3));
    assertThatThrownBy(
            () -> AnthropicMapping.response(json("{\"type\":\"message\"}"), "m", Optional.empty()))
        .hasMessage("the answer has no 'content' array");
  }
}
