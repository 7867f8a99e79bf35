package dev.tta.models.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies as OpenAI documents them, read field by field; answers written the same way. */
class ChatCompletionReaderTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final ChatCompletionReader reader = new ChatCompletionReader(JSON);

  private ChatCompletionCall read(String body, Map<String, String> headers) {
    return reader.read(body, headers::get);
  }

  private ChatCompletionCall read(String body) {
    return read(body, Map.of());
  }

  @Test
  void aToolConversation_keepsCallsResultsAndDefinitions() {
    ChatCompletionCall call =
        read(
            """
            {"model":"auto",
             "messages":[
               {"role":"developer","content":"Be brief."},
               {"role":"user","content":[{"type":"text","text":"Weather in "},{"type":"text","text":"Oslo?"}]},
               {"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"-3 C"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},
             "stop":"END","seed":42,"top_p":0.5,"max_completion_tokens":64,"user":"u-1"}
            """);

    List<ChatMessage> messages = call.chat().messages();
    assertThat(messages)
        .extracting(ChatMessage::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
    assertThat(messages.get(1).content()).isEqualTo("Weather in Oslo?");
    assertThat(messages.get(2).toolCalls())
        .containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(messages.get(3).toolCallId()).isEqualTo("call_1");
    assertThat(call.chat().tools())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.name()).isEqualTo("get_weather");
              assertThat(t.description()).isEqualTo("Weather now");
              assertThat(t.parametersSchema())
                  .isEqualTo(
                      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
            });
    assertThat(call.chat().toolChoice())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
    assertThat(call.chat().stop()).containsExactly("END");
    assertThat(call.chat().seed()).hasValue(42);
    assertThat(call.chat().topP()).hasValue(0.5);
    assertThat(call.chat().maxTokens()).hasValue(64);
    assertThat(call.ignoredFields()).isEmpty();
  }

  @Test
  void fieldsItCannotActOn_areListedAsIgnored_orRefusedWhenTheyWouldChangeTheAnswer() {
    ChatCompletionCall call =
        read(
            "{\"model\":\"auto\",\"frequency_penalty\":0.5,\"store\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(call.ignoredFields()).containsExactly("frequency_penalty", "store");

    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"logprobs\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.param()).isEqualTo("logprobs"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}"))
        .isInstanceOf(OpenAiError.class)
        .hasMessage("messages[0].content[0]: only text parts are supported, was 'image_url'");
    assertThatThrownBy(
            () -> read("{\"model\":\"auto\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.param()).isEqualTo("messages[0].tool_call_id"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\","
                        + "\"tool_calls\":[]}]}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.param()).isEqualTo("messages[0].tool_calls"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"stop\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(OpenAiError.class, e -> assertThat(e.param()).isEqualTo("stop"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"tools\":[{\"type\":\"retrieval\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.param()).isEqualTo("tools[0]"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"auto\",\"models\":[\"\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(OpenAiError.class, e -> assertThat(e.param()).isEqualTo("models"));
  }

  @Test
  void requirements_comeFromMetadataAndHeaders_headersWinning_otherMetadataPassesThrough() {
    ChatCompletionCall call =
        read(
            "{\"model\":\"auto\",\"metadata\":{\"task_type\":\"narrative_generation\","
                + "\"max_cost_per_token\":\"0.001\",\"session\":\"s-9\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            Map.of(
                "X-MM-Max-Cost",
                "0.00002",
                "X-MM-Require",
                "narrative, dialogue",
                "X-MM-Prefer-Free",
                "yes",
                "X-MM-Context-Length",
                "2048"));

    ModelRequirements r =
        call.requirementsOver(RequirementHints.defaultsFor(TaskType.GENERAL_CHAT));

    assertThat(r.taskType()).isEqualTo(TaskType.NARRATIVE_GENERATION);
    assertThat(r.maxCostPerToken()).hasValue(0.00002);
    assertThat(r.requiredCapabilities()).containsExactlyInAnyOrder("narrative", "dialogue");
    assertThat(r.preferFree()).isTrue();
    assertThat(r.contextLengthNeeded()).isEqualTo(2048);
    assertThat(r.therapeuticSafetyRequired()).isFalse();
    assertThat(call.chat().metadata()).containsExactly(Map.entry("session", "s-9"));
  }

  @Test
  void theTherapeuticTask_requiresSafety_unlessTheRequestSaysOtherwise() {
    ModelRequirements base = RequirementHints.defaultsFor(TaskType.GENERAL_CHAT);
    String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    assertThat(base.therapeuticSafetyRequired()).isFalse();
    assertThat(
            RequirementHints.defaultsFor(TaskType.THERAPEUTIC_RESPONSE).therapeuticSafetyRequired())
        .isTrue();
    assertThat(
            read(body, Map.of("X-MM-Task", "therapeutic_response"))
                .requirementsOver(base)
                .therapeuticSafetyRequired())
        .isTrue();
    assertThat(
            read(body, Map.of("X-MM-Task", "therapeutic_response", "X-MM-Safety-Required", "false"))
                .requirementsOver(base)
                .therapeuticSafetyRequired())
        .isFalse();
    assertThatThrownBy(
            () -> read(body, Map.of("X-MM-Prefer-Local", "maybe")).requirementsOver(base))
        .isInstanceOf(OpenAiError.class)
        .hasMessage("X-MM-Prefer-Local: must be true or false (was 'maybe')");
    assertThatThrownBy(() -> read(body, Map.of("X-MM-Max-Cost", "-1")).requirementsOver(base))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.param()).isEqualTo("X-MM-Max-Cost"));
  }

  @Test
  void answers_carryToolCallsAndCost_inOpenAisShape() {
    ChatCompletionJson json = new ChatCompletionJson(JSON);
    ChatResponse response =
        new ChatResponse(
            "up-1",
            "gpt-4o-mini",
            ChatMessage.assistantToolCalls(
                List.of(new ToolCall("call_9", "roll_dice", "{\"sides\":20}"))),
            FinishReason.TOOL_CALLS,
            Optional.of(new Usage(12, 7, OptionalDouble.of(0.0000042))),
            Optional.of("Amazon Bedrock"));

    assertThat(
            json.completion("chatcmpl-1", 1_700_000_000L, "router/gpt-4o-mini", response)
                .toString())
        .isEqualTo(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"router/gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_9\",\"type\":"
                + "\"function\",\"function\":{\"name\":\"roll_dice\",\"arguments\":\"{\\\"sides\\\":20}\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":12,"
                + "\"completion_tokens\":7,\"total_tokens\":19,\"cost\":4.2E-6},"
                + "\"provider\":\"Amazon Bedrock\"}");
    ChatChunk first =
        new ChatChunk(
            "gpt-4o-mini",
            "",
            List.of(new ToolCallDelta(0, "call_9", "roll_dice", "{\"si")),
            Optional.empty(),
            Optional.empty());
    assertThat(
            json.chunk("c", 1L, "router/gpt-4o-mini", first)
                .at("/choices/0/delta/tool_calls/0")
                .toString())
        .isEqualTo(
            "{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"roll_dice\","
                + "\"arguments\":\"{\\\"si\"}}");
    ChatChunk next =
        new ChatChunk(
            "gpt-4o-mini",
            "",
            List.of(new ToolCallDelta(0, null, null, "des\":20}")),
            Optional.of(FinishReason.TOOL_CALLS),
            Optional.empty());
    assertThat(json.chunk("c", 1L, "router/gpt-4o-mini", next).at("/choices/0").toString())
        .isEqualTo(
            "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + "\"des\\\":20}\"}}]},\"finish_reason\":\"tool_calls\"}");
  }

  @Test
  void headerValues_areCutToVisibleAscii() {
    assertThat(OpenAiApi.headerSafe("tried [a/b ok 3ms]\nskipped é"))
        .isEqualTo("tried [a/b ok 3ms]?skipped ?");
    assertThat(OpenAiApi.headerSafe("x".repeat(5000))).hasSize(2000);
  }
}
