package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.testkit.replay.FixtureSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OllamaMappingTest {

  static JsonNode json(String text) throws Exception {
    return OpenAiJson.mapper().readTree(text);
  }

  static JsonNode recorded(String name) throws Exception {
    return OpenAiJson.mapper().readTree(FixtureSet.shared("ollama").bytes(name));
  }

  /** The documented tools request (chat_tools_request.json), field for field. */
  @Test
  void documentedToolsRequest_sameBody() throws Exception {
    ChatRequest request =
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

    assertThat(OllamaMapping.requestBody("llama3.2", request, false))
        .isEqualTo(recorded("chat_tools_request.json"));
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
                 "options":{"num_predict":32,"temperature":0.2,"top_p":0.9,"seed":7,
                            "stop":["\\n\\n"]},
                 "stream":true}"""));
    assertThat(OllamaMapping.requestBody("m", ChatRequest.of(ChatMessage.user("x")), false))
        .isEqualTo(
            json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":false}"));
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

  @Test
  void documentedAnswer_textAndCounts() throws Exception {
    ChatResponse response = OllamaMapping.response(recorded("chat_response.json"), "llama3.2");

    assertThat(response.text()).isEqualTo("Hello! How are you today?");
    assertThat(response.model()).isEqualTo("llama3.2");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    // eval_duration 4799921000 ns: 298 tokens / 4.799921 s = 62.084 tokens per second
    assertThat(response.usage())
        .contains(new Usage(26, 298).withGenerationTime(Duration.ofNanos(4_799_921_000L)));
    assertThat(response.usage().orElseThrow().tokensPerSecond().getAsDouble())
        .isCloseTo(62.084, within(0.001));
  }

  @Test
  void recordedToolCall_objectArgumentsAsTextNumberedCalls() throws Exception {
    ChatResponse response =
        OllamaMapping.response(recorded("chat_response_tool_calls.json"), "llama3.2");

    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall("call_0", "TestPlugin-TestFunction", "{\"testInput\":\"fake-text\"}"));
    // Ollama says "stop"; the answer is a tool call
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage())
        .contains(new Usage(152, 22).withGenerationTime(Duration.ofNanos(240_925_000L)));
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
