package dev.tta.models.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.testkit.replay.FixtureSet;
import java.nio.charset.StandardCharsets;
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
            "{\"model\":\"auto\",\"logit_bias\":{\"50256\":-100},\"store\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(call.ignoredFields()).containsExactly("logit_bias", "store");

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

  @Test
  void plainFields_areReadWithTheirValues() {
    ChatCompletionCall call =
        read(
            "{\"model\":\" ollama/llama3.2 \",\"models\":[\"a/x\",\" b/y \"],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":100,"
                + "\"max_completion_tokens\":50,\"temperature\":0.7,\"n\":1,\"logprobs\":false,"
                + "\"frequency_penalty\":0.5,\"presence_penalty\":-1.5,"
                + "\"stop\":[\"a\",\"b\"],\"tool_choice\":\"auto\","
                + "\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":null},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(call.model()).isEqualTo("ollama/llama3.2");
    assertThat(call.fallbackModels()).containsExactly("a/x", "b/y");
    assertThat(call.stream()).isTrue();
    assertThat(call.includeUsage()).isTrue();
    // the newer field wins over the deprecated one
    assertThat(call.chat().maxTokens()).hasValue(50);
    assertThat(call.chat().temperature()).hasValue(0.7);
    assertThat(call.chat().frequencyPenalty()).hasValue(0.5);
    assertThat(call.chat().presencePenalty()).hasValue(-1.5);
    assertThat(call.ignoredFields()).isEmpty();
    assertThat(call.chat().stop()).containsExactly("a", "b");
    assertThat(call.chat().toolChoice()).isEqualTo("auto");
    assertThat(call.chat().messages().get(0).content()).isEmpty();
    assertThat(call.requirements().isEmpty()).isTrue();

    ChatCompletionCall plain =
        read(
            "{\"model\":\"auto\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(plain.stream()).isFalse();
    assertThat(plain.includeUsage()).isFalse();
    assertThat(plain.fallbackModels()).isEmpty();
    assertThat(plain.chat().maxTokens()).hasValue(9);
    assertThat(plain.chat().temperature()).isEmpty();
    assertThat(plain.chat().frequencyPenalty()).isEmpty();
    assertThat(plain.chat().presencePenalty()).isEmpty();
    assertThat(plain.chat().seed()).isEmpty();
    assertThat(plain.chat().toolChoice()).isNull();
    assertThat(plain.chat().tools()).isEmpty();
  }

  @Test
  void responseFormats_areRead_andNotIgnored() {
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    assertThat(read("{\"model\":\"auto\"," + hi + "}").chat().responseFormat())
        .isEqualTo(ResponseFormat.TEXT);
    assertThat(
            read("{\"model\":\"auto\",\"response_format\":{\"type\":\"text\"}," + hi + "}")
                .chat()
                .responseFormat())
        .isEqualTo(ResponseFormat.TEXT);
    ChatCompletionCall json =
        read("{\"model\":\"auto\",\"response_format\":{\"type\":\"json_object\"}," + hi + "}");
    assertThat(json.chat().responseFormat()).isEqualTo(new ResponseFormat.JsonObject());
    assertThat(json.ignoredFields()).isEmpty();
    ChatCompletionCall schema =
        read(
            """
            {"model":"auto","messages":[{"role":"user","content":"Where next?"}],
             "response_format":{"type":"json_schema","json_schema":{
               "name":"scene_card","description":"The next scene","strict":true,
               "schema":{"type":"object","properties":{"place":{"type":"string"}},
                         "required":["place"],"additionalProperties":false}}}}
            """);
    assertThat(schema.chat().responseFormat())
        .isEqualTo(
            new ResponseFormat.JsonSchema(
                "scene_card",
                "The next scene",
                "{\"type\":\"object\",\"properties\":{\"place\":{\"type\":\"string\"}},"
                    + "\"required\":[\"place\"],\"additionalProperties\":false}",
                true));
  }

  /** Explicit JSON nulls count as fields left out, as OpenAI's API reads them. */
  @Test
  void responseFormatNulls_areFieldsLeftOut() {
    String hi = ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    assertThat(read("{\"model\":\"auto\",\"response_format\":null" + hi).chat().responseFormat())
        .isEqualTo(ResponseFormat.TEXT);
    assertThat(
            read("{\"model\":\"auto\",\"response_format\":{\"type\":\"json_schema\","
                    + "\"json_schema\":{\"name\":\"s\",\"description\":null,\"schema\":null,"
                    + "\"strict\":null}}"
                    + hi)
                .chat()
                .responseFormat())
        .isEqualTo(new ResponseFormat.JsonSchema("s", "", "", false));
    assertThat(
            read("{\"model\":\"auto\",\"response_format\":{\"type\":\"json_schema\","
                    + "\"json_schema\":{\"name\":\"bare\"}}"
                    + hi)
                .chat()
                .responseFormat())
        .isEqualTo(new ResponseFormat.JsonSchema("bare", "", "", false));
    for (String format :
        new String[] {
          "{\"type\":null}",
          "{\"type\":\"json_schema\",\"json_schema\":null}",
          "{\"type\":\"json_schema\",\"json_schema\":{\"name\":null}}"
        }) {
      assertThatThrownBy(() -> read("{\"model\":\"auto\",\"response_format\":" + format + hi))
          .as(format)
          .isInstanceOfSatisfying(
              OpenAiError.class, e -> assertThat(e.code()).isEqualTo("missing_required_parameter"));
    }
    assertThatThrownBy(() -> read("{\"model\":\"auto\",\"response_format\":{\"type\":5}" + hi))
        .hasMessage("response_format.type: must be one of text, json_object, json_schema, was 5");
  }

  /**
   * The request pydantic-ai sent to a local Ollama for a structured answer (its recorded cassette,
   * ../shared/fixtures/ollama): a schema without description or strict.
   */
  @Test
  void aRecordedStructuredOutputRequest_isReadWithItsSchema() {
    String body =
        new String(
            FixtureSet.shared("ollama").bytes("v1_chat_completions_request.json"),
            StandardCharsets.UTF_8);

    ChatCompletionCall call = read(body);

    assertThat(call.model()).isEqualTo("qwen3:0.6b");
    assertThat(call.chat().responseFormat())
        .isEqualTo(
            new ResponseFormat.JsonSchema(
                "CityLocation",
                "",
                "{\"properties\":{\"city\":{\"type\":\"string\"},\"country\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\",\"country\"],\"title\":\"CityLocation\","
                    + "\"type\":\"object\"}",
                false));
    assertThat(call.ignoredFields()).isEmpty();
  }

  @Test
  void aMalformedResponseFormat_isRefusedNamingTheField() {
    String ok = "\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    record Case(String format, String param, String code, String message) {}
    String invalid = "invalid_value";
    String missing = "missing_required_parameter";
    List<Case> cases =
        List.of(
            new Case(
                "\"json_object\"",
                "response_format",
                invalid,
                "response_format: must be an object such as {\"type\":\"json_object\"}"),
            new Case("{}", "response_format.type", missing, "response_format.type: is required"),
            new Case(
                "{\"type\":\"xml\"}",
                "response_format.type",
                invalid,
                "response_format.type: must be one of text, json_object, json_schema, was xml"),
            new Case(
                "{\"type\":\"json_schema\"}",
                "response_format.json_schema",
                missing,
                "response_format.json_schema: is required"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":[]}",
                "response_format.json_schema",
                invalid,
                "response_format.json_schema: must be an object with a name and a schema"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}",
                "response_format.json_schema.name",
                missing,
                "response_format.json_schema.name: is required"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":7}}",
                "response_format.json_schema.name",
                invalid,
                "response_format.json_schema.name: must be a string"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"scene card\"}}",
                "response_format.json_schema.name",
                invalid,
                "response_format.json_schema.name: must be 1 to 64 letters, digits, underscores or"
                    + " hyphens"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"description\":1}}",
                "response_format.json_schema.description",
                invalid,
                "response_format.json_schema.description: must be a string"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":\"{}\"}}",
                "response_format.json_schema.schema",
                invalid,
                "response_format.json_schema.schema: must be a JSON Schema object"),
            new Case(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"strict\":\"yes\"}}",
                "response_format.json_schema.strict",
                invalid,
                "response_format.json_schema.strict: must be true or false"));
    for (Case c : cases) {
      String body = "{" + ok + ",\"response_format\":" + c.format() + "}";
      assertThatThrownBy(() -> read(body))
          .as(body)
          .isInstanceOfSatisfying(
              OpenAiError.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.param()).isEqualTo(c.param());
                assertThat(e.code()).isEqualTo(c.code());
                assertThat(e.getMessage()).isEqualTo(c.message());
              });
    }
  }

  @Test
  void everyMalformedField_isRefusedWithItsName() {
    String ok = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    record Case(String body, String param, String message) {}
    List<Case> cases =
        List.of(
            new Case("null", null, "the body must be a JSON object"),
            new Case("{\"model\":\"\"," + ok + "}", "model", "model: must not be empty"),
            new Case(
                "{\"model\":\"auto\",\"models\":\"a/x\"," + ok + "}",
                "models",
                "models: must be an array of model names"),
            new Case(
                "{\"model\":\"auto\",\"models\":[3]," + ok + "}",
                "models",
                "models[0]: must be a model name"),
            new Case(
                "{\"model\":\"auto\",\"seed\":1.5," + ok + "}", "seed", "seed: must be an integer"),
            new Case(
                "{\"model\":\"auto\",\"max_tokens\":\"9\"," + ok + "}",
                "max_tokens",
                "max_tokens: must be an integer"),
            new Case(
                "{\"model\":\"auto\",\"max_tokens\":9999999999," + ok + "}",
                "max_tokens",
                "max_tokens: must be an integer"),
            new Case(
                "{\"model\":\"auto\",\"max_completion_tokens\":-1," + ok + "}",
                "max_completion_tokens",
                "max_completion_tokens: must be at least 1, was -1"),
            new Case(
                "{\"model\":\"auto\",\"top_p\":\"high\"," + ok + "}",
                "top_p",
                "top_p: must be a number"),
            new Case(
                "{\"model\":\"auto\",\"frequency_penalty\":\"low\"," + ok + "}",
                "frequency_penalty",
                "frequency_penalty: must be a number"),
            new Case(
                "{\"model\":\"auto\",\"presence_penalty\":2.5," + ok + "}",
                "presence_penalty",
                "presence_penalty: must be between -2.0 and 2.0, was 2.5"),
            new Case(
                "{\"model\":\"auto\",\"stream\":\"yes\"," + ok + "}",
                "stream",
                "stream: must be true or false"),
            new Case(
                "{\"model\":\"auto\",\"stream_options\":true," + ok + "}",
                "stream_options",
                "stream_options: must be an object"),
            new Case(
                // ChatCompletionReaderFuzzTest found that the field was named without its object
                "{\"model\":\"auto\",\"stream_options\":{\"include_usage\":1}," + ok + "}",
                "stream_options.include_usage",
                "stream_options.include_usage: must be true or false"),
            new Case(
                "{\"model\":\"auto\",\"n\":\"1\"," + ok + "}",
                "n",
                "n: only 1 choice per request is supported"),
            // ChatCompletionReaderFuzzTest found that a number beyond int (n) or long (seed)
            // escaped as Jackson's conversion error, a 500
            new Case(
                "{\"model\":\"auto\",\"n\":4444444444444444444440," + ok + "}",
                "n",
                "n: only 1 choice per request is supported"),
            new Case(
                "{\"model\":\"auto\",\"seed\":99999999999999999999," + ok + "}",
                "seed",
                "seed: must be an integer"),
            new Case(
                "{\"model\":\"auto\",\"metadata\":[1]," + ok + "}",
                "metadata",
                "metadata: must be an object of string values"),
            new Case(
                "{\"model\":\"auto\",\"metadata\":{\"k\":{\"a\":1}}," + ok + "}",
                "metadata",
                "metadata.k: must be a string, number or boolean"),
            new Case(
                "{\"model\":\"auto\",\"tools\":{}," + ok + "}", "tools", "tools: must be an array"),
            new Case(
                "{\"model\":\"auto\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\" \"}}],"
                    + ok
                    + "}",
                "tools[0].function.name",
                "tools[0].function.name: is required"),
            // the fuzz targets found that a type or description that is an object escaped as
            // Jackson's coercion error, a 500
            new Case(
                "{\"model\":\"auto\",\"tools\":[{\"type\":{\"a\":1},\"function\":{\"name\":\"f\"}}],"
                    + ok
                    + "}",
                "tools[0]",
                "tools[0]: must be {\"type\":\"function\",\"function\":{...}}"),
            new Case(
                "{\"model\":\"auto\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                    + "\"description\":{\"type\":\"object\"}}}],"
                    + ok
                    + "}",
                "tools[0].function.description",
                "tools[0].function.description: must be a string"),
            new Case(
                "{\"model\":\"auto\",\"stop\":5," + ok + "}",
                "stop",
                "stop: must be a string or an array of strings"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[7]}",
                "messages[0]",
                "messages[0]: must be an object with role and content"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"content\":\"x\"}]}",
                "messages[0].role",
                "messages[0].role: is required and must be a string"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\"}]}",
                "messages[0].content",
                "messages[0].content: is required"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
                "messages[0].content[0]",
                "messages[0].content[0].type: is required"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":4}]}]}",
                "messages[0].content[0].text",
                "messages[0].content[0].text: must be a string"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c\"}]}]}",
                "messages[0].tool_calls[0]",
                "messages[0].tool_calls[0]: must be an object with id and function"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":5,\"function\":{\"name\":\"f\"}}]}]}",
                "messages[0].tool_calls[0]",
                "messages[0].tool_calls[0]: id and function.name are required strings"));
    for (Case c : cases) {
      assertThatThrownBy(() -> read(c.body()))
          .as(c.body())
          .isInstanceOfSatisfying(
              OpenAiError.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.param()).isEqualTo(c.param());
                assertThat(e.getMessage()).isEqualTo(c.message());
              });
    }
  }

  @Test
  void toolCallArguments_givenAsAnObject_areKeptAsItsJsonText() {
    ChatCompletionCall call =
        read(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":["
                + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"g\"}}]}]}");
    assertThat(call.chat().messages().get(0).toolCalls())
        .containsExactly(new ToolCall("c1", "f", "{\"a\":1}"), new ToolCall("c2", "g", ""));
  }

  @Test
  void nullOptionalFields_areAbsent_butNullRequiredOnesAreMissing() {
    ChatCompletionCall call =
        read(
            "{\"model\":\"auto\",\"models\":null,\"temperature\":null,\"top_p\":null,"
                + "\"max_tokens\":null,\"max_completion_tokens\":null,\"stop\":null,\"seed\":null,"
                + "\"tools\":null,\"tool_choice\":null,\"metadata\":null,\"stream\":null,"
                + "\"stream_options\":null,\"n\":null,\"logprobs\":null,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(call.fallbackModels()).isEmpty();
    assertThat(call.chat().temperature()).isEmpty();
    assertThat(call.chat().topP()).isEmpty();
    assertThat(call.chat().maxTokens()).isEmpty();
    assertThat(call.chat().stop()).isEmpty();
    assertThat(call.chat().seed()).isEmpty();
    assertThat(call.chat().tools()).isEmpty();
    assertThat(call.chat().toolChoice()).isNull();
    assertThat(call.chat().metadata()).isEmpty();
    assertThat(call.stream()).isFalse();
    assertThat(call.ignoredFields()).isEmpty();

    assertThatThrownBy(
            () -> read("{\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.code()).isEqualTo("missing_required_parameter"));
    assertThatThrownBy(() -> read("{\"model\":\"auto\",\"messages\":null}"))
        .isInstanceOfSatisfying(
            OpenAiError.class, e -> assertThat(e.code()).isEqualTo("missing_required_parameter"));
    assertThatThrownBy(
            () -> read("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":null}]}"))
        .hasMessage("messages[0].content: is required");
    // an assistant turn may be empty, a tool result may be empty text
    assertThat(
            read("{\"model\":\"auto\",\"messages\":[{\"role\":\"assistant\"},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"\"}]}")
                .chat()
                .messages())
        .extracting(ChatMessage::content)
        .containsExactly("", "");
    assertThat(
            read("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[]}]}")
                .chat()
                .messages()
                .get(0)
                .content())
        .isEmpty();
  }

  @Test
  void everyRequirementHint_reachesItsRequirement() {
    ChatCompletionCall call =
        read(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            Map.of(
                "X-MM-Task", "world_building",
                "X-MM-Max-Latency-Ms", "900",
                "X-MM-Min-Quality", "6.5",
                "X-MM-Safety-Required", "1",
                "X-MM-Prefer-Local", "no",
                "X-MM-Max-Cost", " "));
    assertThat(call.requirements().isEmpty()).isFalse();
    ModelRequirements r =
        call.requirementsOver(RequirementHints.defaultsFor(TaskType.GENERAL_CHAT));
    assertThat(r.taskType()).isEqualTo(TaskType.WORLD_BUILDING);
    assertThat(r.maxLatencyMs()).hasValue(900);
    assertThat(r.minQualityScore()).hasValue(6.5);
    assertThat(r.therapeuticSafetyRequired()).isTrue();
    assertThat(r.preferLocal()).isFalse();
    assertThat(r.maxCostPerToken()).isEmpty();

    assertThatThrownBy(
            () ->
                read(
                        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                        Map.of("X-MM-Min-Quality", "12"))
                    .requirementsOver(RequirementHints.defaultsFor(TaskType.GENERAL_CHAT)))
        .isInstanceOfSatisfying(
            OpenAiError.class,
            e -> {
              assertThat(e.param()).isEqualTo("X-MM-Min-Quality");
              assertThat(e.getMessage())
                  .startsWith("X-MM-Min-Quality: must be between 0.0 and 10.0");
            });
  }

  @Test
  void streamChunks_openWithTheRole_andCloseWithUsage() {
    ChatCompletionJson json = new ChatCompletionJson(JSON);
    assertThat(json.roleChunk("c", 5L, "local/tiny").toString())
        .isEqualTo(
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"local/tiny\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}");
    assertThat(
            json.chunk("c", 5L, "local/tiny", ChatChunk.content("tiny", "Hi"))
                .get("choices")
                .toString())
        .isEqualTo("[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]");
    assertThat(json.usageChunk("c", 5L, "local/tiny", new Usage(3, 4)).toString())
        .isEqualTo(
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"local/tiny\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}");
    ChatResponse text =
        new ChatResponse(
            "r", "tiny", ChatMessage.assistant("Hello"), FinishReason.STOP, Optional.empty());
    assertThat(json.completion("r", 5L, "local/tiny", text).toString())
        .isEqualTo(
            "{\"id\":\"r\",\"object\":\"chat.completion\",\"created\":5,\"model\":\"local/tiny\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
  }

  @Test
  void everyRequirement_hasAHeader() {
    assertThat(RequirementHints.HEADERS.keySet())
        .containsExactlyInAnyOrderElementsOf(ModelRequirements.FIELD_NAMES);
  }
}
