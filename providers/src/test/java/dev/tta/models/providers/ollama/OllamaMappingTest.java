package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.testkit.replay.FixtureSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OllamaMappingTest {

  static JsonNode json(String text) throws Exception {
    return OpenAiJson.mapper().readTree(text);
  }

  static JsonNode recorded(String name) throws Exception {
    return OpenAiJson.mapper().readTree(FixtureSet.shared("ollama").bytes(name));
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/ollama");

  /** The request of Ollama's documented tool call (chat_tools_request.json). */
  static final ChatRequest DOCUMENTED_TOOLS_REQUEST =
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

  /** A whole answer: testkit's hand-written exchange of that name, or the recorded file. */
  static JsonNode answer(String source, String name) throws Exception {
    return source.equals("recorded")
        ? recorded(name)
        : OpenAiJson.mapper().readTree(HAND.exchange(name).response().body());
  }

  /** The documented tools request (chat_tools_request.json), field for field. */
  @Test
  void documentedToolsRequest_sameBody() throws Exception {
    assertThat(OllamaMapping.requestBody("llama3.2", DOCUMENTED_TOOLS_REQUEST, false))
        .isEqualTo(recorded("chat_tools_request.json"));
  }

  @Test
  void handWrittenToolsRequest_sameBody() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("How windy is it in Bergen?"))
            .tools(
                List.of(
                    new ToolDefinition(
                        "get_wind",
                        "Wind speed in a town",
                        """
                        {"type":"object","properties":{"town":{"type":"string"}},
                         "required":["town"]}""")))
            .build();

    assertThat(OllamaMapping.requestBody("qwen3:4b", request, false))
        .isEqualTo(
            json(
                """
                {"model":"qwen3:4b",
                 "messages":[{"role":"user","content":"How windy is it in Bergen?"}],
                 "tools":[{"type":"function",
                           "function":{"name":"get_wind","description":"Wind speed in a town",
                                       "parameters":{"type":"object",
                                                     "properties":{"town":{"type":"string"}},
                                                     "required":["town"]}}}],
                 "stream":false}"""));
  }

  @Test
  void options_onlyThoseSet_andToolTurnsKeptAsTheyAre() throws Exception {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("Be brief."))
            .addMessage(ChatMessage.user("Weather?"))
            .addMessage(
                ChatMessage.assistantToolCalls(
                    List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Tokyo\"}"))))
            .addMessage(ChatMessage.tool("call_0", "sunny"))
            .maxTokens(32)
            .temperature(0.2)
            .topP(0.9)
            .frequencyPenalty(0.5)
            .presencePenalty(1.5)
            .seed(7L)
            .stop(List.of("\n\n"))
            .build();

    // re-read, as the server reads it: the seed is a long in the tree and an int in the text
    assertThat(json(OllamaMapping.requestBody("m", request, true).toString()))
        .isEqualTo(
            json(
                """
                {"model":"m",
                 "messages":[{"role":"system","content":"Be brief."},
                             {"role":"user","content":"Weather?"},
                             {"role":"assistant","content":"",
                              "tool_calls":[{"function":{"name":"get_weather",
                                                         "arguments":{"city":"Tokyo"}}}]},
                             {"role":"tool","content":"sunny"}],
                 "options":{"num_predict":32,"temperature":0.2,"top_p":0.9,
                            "frequency_penalty":0.5,"presence_penalty":1.5,"seed":7,
                            "stop":["\\n\\n"]},
                 "stream":true}"""));
    assertThat(OllamaMapping.requestBody("m", ChatRequest.of(ChatMessage.user("x")), false))
        .isEqualTo(
            json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":false}"));
  }

  /** Ollama's {@code format}: the string {@code "json"}, or a JSON Schema object (its OpenAPI). */
  @Test
  void responseFormats_asOllamasFormatField() throws Exception {
    ChatRequest.Builder x = ChatRequest.builder().addMessage(ChatMessage.user("x"));

    assertThat(OllamaMapping.requestBody("m", x.responseFormat(ResponseFormat.TEXT).build(), false))
        .isEqualTo(
            json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":false}"));
    assertThat(
            OllamaMapping.requestBody(
                "m", x.responseFormat(new ResponseFormat.JsonObject()).build(), false))
        .isEqualTo(
            json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"format\":\"json\",\"stream\":false}"));
    assertThat(
            OllamaMapping.requestBody(
                "m",
                x.responseFormat(
                        new ResponseFormat.JsonSchema(
                            "city",
                            "",
                            "{\"type\":\"object\",\"required\":[\"city\"],"
                                + "\"properties\":{\"city\":{\"type\":\"string\"}}}",
                            true))
                    .build(),
                false))
        .isEqualTo(
            json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"format\":{\"type\":\"object\",\"required\":[\"city\"],"
                    + "\"properties\":{\"city\":{\"type\":\"string\"}}},\"stream\":false}"));
    assertThat(
            OllamaMapping.requestBody(
                    "m",
                    x.responseFormat(new ResponseFormat.JsonSchema("s", "", "", false)).build(),
                    false)
                .get("format")
                .asText())
        .isEqualTo("json");
  }

  @Test
  void badJson_refusedNamingWhere() {
    assertThatThrownBy(
            () ->
                OllamaMapping.requestBody(
                    "m",
                    ChatRequest.builder()
                        .addMessage(ChatMessage.user("x"))
                        .tools(List.of(new ToolDefinition("t", "", "{no")))
                        .build(),
                    false))
        .hasMessage("tools[t]: is not valid JSON");
    assertThatThrownBy(
            () ->
                OllamaMapping.requestBody(
                    "m",
                    ChatRequest.builder()
                        .addMessage(ChatMessage.user("x"))
                        .addMessage(
                            ChatMessage.assistantToolCalls(List.of(new ToolCall("c9", "t", "{no"))))
                        .build(),
                    false))
        .hasMessage("tool call c9: is not valid JSON");
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        // eval_duration 240000000 ns: 12 tokens / 0.24 s = 50 tokens per second
        Arguments.of(
            "hand-written",
            "chat",
            "The sky is blue because air scatters blue light the most.",
            "llama3.2:latest",
            new Usage(31, 12).withGenerationTime(Duration.ofNanos(240_000_000L)),
            50.0),
        // eval_duration 4799921000 ns: 298 tokens / 4.799921 s = 62.084 tokens per second
        Arguments.of(
            "recorded",
            "chat_response.json",
            "Hello! How are you today?",
            "llama3.2",
            new Usage(26, 298).withGenerationTime(Duration.ofNanos(4_799_921_000L)),
            62.084));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("answers")
  void answer_textAndCounts(
      String source, String name, String text, String model, Usage usage, double tokensPerSecond)
      throws Exception {
    ChatResponse response = OllamaMapping.response(answer(source, name), "llama3.2");

    assertThat(response.text()).isEqualTo(text);
    assertThat(response.model()).isEqualTo(model);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.message().toolCalls()).isEmpty();
    assertThat(response.usage()).contains(usage);
    assertThat(response.usage().orElseThrow().tokensPerSecond().getAsDouble())
        .isCloseTo(tokensPerSecond, within(0.001));
  }

  static Stream<Arguments> toolCallAnswers() {
    return Stream.of(
        // no eval_duration: no generation time
        Arguments.of(
            "hand-written",
            "chat_tools",
            new ToolCall("call_0", "get_current_weather", "{\"location\":\"Boston, MA\"}"),
            new Usage(160, 20)),
        Arguments.of(
            "recorded",
            "chat_response_tool_calls.json",
            new ToolCall("call_0", "TestPlugin-TestFunction", "{\"testInput\":\"fake-text\"}"),
            new Usage(152, 22).withGenerationTime(Duration.ofNanos(240_925_000L))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("toolCallAnswers")
  void toolCall_objectArgumentsAsTextNumberedCalls(
      String source, String name, ToolCall call, Usage usage) throws Exception {
    ChatResponse response = OllamaMapping.response(answer(source, name), "llama3.2");

    assertThat(response.message().toolCalls()).containsExactly(call);
    assertThat(response.message().role()).isEqualTo(Role.ASSISTANT);
    // Ollama says "stop"; the answer is a tool call
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).contains(usage);
  }

  @Test
  void toolCallsWithoutIds_numberedInTheirOrder() throws Exception {
    ChatResponse response =
        OllamaMapping.response(
            json(
                """
                {"model":"qwen3:4b","message":{"role":"assistant","content":"",
                  "tool_calls":[{"function":{"name":"get_wind","arguments":{"town":"Bergen"}}},
                                {"function":{"name":"get_wind","arguments":{"town":"Voss"}}}]},
                 "done_reason":"stop","done":true}"""),
            "qwen3:4b");

    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall("call_0", "get_wind", "{\"town\":\"Bergen\"}"),
            new ToolCall("call_1", "get_wind", "{\"town\":\"Voss\"}"));
  }

  @Test
  void lengthIdsAndMissingParts() throws Exception {
    ChatResponse cut =
        OllamaMapping.response(
            json(
                """
                {"message":{"role":"assistant","content":"a",
                            "tool_calls":[{"id":"t-1","function":{"name":"f","arguments":{}}}]},
                 "done_reason":"length"}"""),
            "asked");

    assertThat(cut.model()).isEqualTo("asked");
    assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(cut.message().toolCalls()).containsExactly(new ToolCall("t-1", "f", "{}"));
    assertThat(cut.usage()).isEmpty();
    assertThat(OllamaMapping.usage(json("{\"eval_count\":4}"))).contains(new Usage(0, 4));
    assertThat(OllamaMapping.usage(json("{\"prompt_eval_count\":4}"))).contains(new Usage(4, 0));
    assertThatThrownBy(() -> OllamaMapping.response(json("{\"done\":true}"), "m"))
        .hasMessage("the answer has no 'message' object");
  }
}
