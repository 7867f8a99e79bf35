package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.testkit.replay.FixtureSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ChatMappingTest {

  static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Hello!"));

  static String json(ChatRequest request, TokenLimitField field, boolean stream, boolean usage)
      throws JsonProcessingException {
    return OpenAiJson.mapper()
        .writeValueAsString(ChatMapping.requestBody("m", request, field, stream, usage));
  }

  static <T> T read(String json, Class<T> type) throws JsonProcessingException {
    return OpenAiJson.mapper().readValue(json, type);
  }

  // ---- requests: only what was set ----

  @Test
  void requestBody_nothingOptionalSet_onlyModelAndMessages() throws JsonProcessingException {
    assertThat(json(HELLO, TokenLimitField.MAX_TOKENS, false, true))
        .isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}");
  }

  @Test
  void requestBody_everySamplingField_inTheConfiguredTokenField() throws JsonProcessingException {
    ChatRequest request =
        HELLO.toBuilder()
            .maxTokens(16)
            .temperature(0)
            .topP(0.9)
            .frequencyPenalty(0.5)
            .presencePenalty(-1)
            .stop(List.of("\n"))
            .seed(1)
            .build();

    assertThat(json(request, TokenLimitField.MAX_TOKENS, false, true))
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                + "\"max_tokens\":16,\"temperature\":0.0,\"top_p\":0.9,\"frequency_penalty\":0.5,"
                + "\"presence_penalty\":-1.0,\"stop\":[\"\\n\"],\"seed\":1}");
    assertThat(json(request, TokenLimitField.MAX_COMPLETION_TOKENS, false, true))
        .contains("\"max_completion_tokens\":16")
        .doesNotContain("\"max_tokens\"");
  }

  @Test
  void requestBody_stream_withAndWithoutUsage() throws JsonProcessingException {
    assertThat(json(HELLO, TokenLimitField.MAX_TOKENS, true, true))
        .endsWith(",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertThat(json(HELLO, TokenLimitField.MAX_TOKENS, true, false)).endsWith(",\"stream\":true}");
  }

  @Test
  void requestBody_toolsAndToolChoice() throws JsonProcessingException {
    ChatRequest request =
        HELLO.toBuilder()
            .tools(
                List.of(
                    new ToolDefinition("f", "does f", "{\"type\":\"object\"}"),
                    new ToolDefinition("g", "", "")))
            .toolChoice("required")
            .build();

    assertThat(json(request, TokenLimitField.MAX_TOKENS, false, true))
        .endsWith(
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"does f\","
                + "\"parameters\":{\"type\":\"object\"}}},{\"type\":\"function\",\"function\":{\"name\":\"g\"}}],"
                + "\"tool_choice\":\"required\"}");
  }

  @Test
  void requestBody_toolChoiceObject_sentAsJson() throws JsonProcessingException {
    ChatRequest request =
        HELLO.toBuilder()
            .toolChoice(" {\"type\":\"function\",\"function\":{\"name\":\"f\"}} ")
            .build();

    assertThat(json(request, TokenLimitField.MAX_TOKENS, false, true))
        .endsWith("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}");
    assertThat(
            json(
                HELLO.toBuilder().toolChoice(" ").build(), TokenLimitField.MAX_TOKENS, false, true))
        .doesNotContain("tool_choice");
  }

  @Test
  void requestBody_responseFormats_asOpenAisApiSpellsThem() throws JsonProcessingException {
    assertThat(
            json(
                HELLO.toBuilder().responseFormat(ResponseFormat.TEXT).build(),
                TokenLimitField.MAX_TOKENS,
                false,
                true))
        .doesNotContain("response_format");
    assertThat(
            json(
                HELLO.toBuilder().responseFormat(new ResponseFormat.JsonObject()).build(),
                TokenLimitField.MAX_TOKENS,
                false,
                true))
        .endsWith(",\"response_format\":{\"type\":\"json_object\"}}");
    ChatRequest scene =
        HELLO.toBuilder()
            .responseFormat(
                new ResponseFormat.JsonSchema(
                    "scene",
                    "the next scene",
                    "{\"type\":\"object\",\"properties\":{\"mood\":{\"type\":\"string\"}}}",
                    true))
            .build();
    assertThat(json(scene, TokenLimitField.MAX_TOKENS, false, true))
        .endsWith(
            ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"scene\","
                + "\"description\":\"the next scene\",\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"mood\":{\"type\":\"string\"}}},\"strict\":true}}}");
    ChatRequest bare =
        HELLO.toBuilder()
            .responseFormat(new ResponseFormat.JsonSchema("bare", "", "", false))
            .build();
    assertThat(json(bare, TokenLimitField.MAX_TOKENS, false, true))
        .endsWith(
            ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"bare\"}}}");
  }

  @Test
  void requestBody_aSchemaThatIsNotJson_refusedNamingIt() {
    ChatRequest request =
        HELLO.toBuilder()
            .responseFormat(new ResponseFormat.JsonSchema("s", "", "{oops", false))
            .build();

    assertThatThrownBy(
            () -> ChatMapping.requestBody("m", request, TokenLimitField.MAX_TOKENS, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("response_format.json_schema.schema: must be valid JSON");
  }

  @Test
  void requestBody_invalidJsonInATool_refusedNamingIt() {
    ChatRequest badSchema =
        HELLO.toBuilder().tools(List.of(new ToolDefinition("f", "", "{oops"))).build();
    ChatRequest badChoice = HELLO.toBuilder().toolChoice("{oops").build();

    assertThatThrownBy(
            () -> ChatMapping.requestBody("m", badSchema, TokenLimitField.MAX_TOKENS, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tools[f].parameters: must be valid JSON");
    assertThatThrownBy(
            () -> ChatMapping.requestBody("m", badChoice, TokenLimitField.MAX_TOKENS, false, false))
        .hasMessage("tool_choice: must be valid JSON");
  }

  @Test
  void requestBody_assistantToolCallsAndToolResult() throws JsonProcessingException {
    ChatRequest request =
        ChatRequest.of(
            ChatMessage.user("weather?"),
            ChatMessage.assistantToolCalls(
                List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
            ChatMessage.tool("call_1", "cold"),
            new ChatMessage(
                dev.tta.models.chat.Role.ASSISTANT,
                "checking",
                List.of(new ToolCall("call_2", "get_weather", "{}")),
                null));

    assertThat(json(request, TokenLimitField.MAX_TOKENS, false, false))
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"cold\",\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"checking\",\"tool_calls\":[{\"id\":\"call_2\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}]}");
  }

  @Test
  void requestBody_emptyUserContent_stillSent() throws JsonProcessingException {
    assertThat(json(ChatRequest.of(ChatMessage.user("")), TokenLimitField.MAX_TOKENS, false, false))
        .contains("{\"role\":\"user\",\"content\":\"\"}");
  }

  // ---- responses ----

  /** Written after llama.cpp's whole answer: the served alias as model, usage and timings. */
  @Test
  void response_handWrittenLlamaAnswer_valuesAsWritten() throws JsonProcessingException {
    String body =
        """
        {"choices":[{"finish_reason":"length","index":0,
                     "message":{"role":"assistant","content":"Once upon a time"}}],
         "created":1750000000,"model":"story-model","system_fingerprint":"b5000-hand",
         "object":"chat.completion","usage":{"completion_tokens":4,"prompt_tokens":12,
         "total_tokens":16},"id":"chatcmpl-hand-llama-2",
         "timings":{"prompt_n":12,"prompt_ms":2.5,"predicted_n":4,"predicted_ms":2.0}}""";

    ChatResponse response = ChatMapping.response(read(body, ChatCompletionBody.class), "requested");

    assertThat(response.id()).isEqualTo("chatcmpl-hand-llama-2");
    assertThat(response.model()).isEqualTo("story-model");
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.usage()).contains(new Usage(12, 4));
    assertThat(response.text()).isEqualTo("Once upon a time");
    assertThat(response.message().toolCalls()).isEmpty();
  }

  @Test
  void response_recordedLlamaAnswer_valuesAsRecorded() throws JsonProcessingException {
    String body =
        FixtureSet.shared("llama-server").exchange("chat_nonstream").response().bodyText();

    ChatResponse response = ChatMapping.response(read(body, ChatCompletionBody.class), "requested");

    // chat_nonstream: finish "length", usage 56 prompt / 16 completion, model = the alias
    assertThat(response.id()).isEqualTo("chatcmpl-SCa1IawqTcDAEXnRPswtEmUvLrE5wtJP");
    assertThat(response.model()).isEqualTo("tiny-random");
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.usage()).contains(new Usage(56, 16));
    assertThat(response.text()).startsWith("alph Ana").endsWith(" Pakistan");
  }

  static Stream<Arguments> toolCallAnswers() {
    return Stream.of(
        Arguments.of(
            "hand-written",
            new ToolCall("call_hand_1", "get_current_weather", "{\"location\": \"Boston, MA\"}"),
            "gpt-4o-mini-2024-07-18"),
        Arguments.of(
            "recorded",
            new ToolCall(
                "call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"),
            "gpt-4o-mini"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("toolCallAnswers")
  void response_toolCallAnswer_nullContentIsEmpty(String source, ToolCall call, String model)
      throws JsonProcessingException {
    byte[] raw =
        source.equals("recorded")
            ? FixtureSet.shared("openai").bytes("spec_chat_completions_tools_response.json")
            : FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openai-compatible")
                .exchange("chat_tools")
                .response()
                .body();

    ChatResponse response =
        ChatMapping.response(
            read(new String(raw, StandardCharsets.UTF_8), ChatCompletionBody.class), "requested");

    assertThat(response.text()).isEmpty();
    assertThat(response.message().toolCalls()).containsExactly(call);
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.model()).isEqualTo(model);
    // usage 82 / 17 in both
    assertThat(response.usage()).contains(new Usage(82, 17));
  }

  @Test
  void response_minimal_requestedModelAndNoUsage() throws JsonProcessingException {
    ChatResponse response =
        ChatMapping.response(
            read("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}", ChatCompletionBody.class),
            "requested");

    assertThat(response.model()).isEqualTo("requested");
    assertThat(response.id()).isEmpty();
    assertThat(response.text()).isEqualTo("hi");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEmpty();
  }

  @Test
  void response_toolCallWithoutFunction_refusedAsMalformed() {
    assertThatThrownBy(
            () ->
                ChatMapping.response(
                    read(
                        "{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"c\"}]}}]}",
                        ChatCompletionBody.class),
                    "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool_calls[].function.name: must not be blank");
  }

  @Test
  void response_noChoiceOrNoMessage_refused() {
    assertThatThrownBy(() -> ChatMapping.response(read("{}", ChatCompletionBody.class), "m"))
        .hasMessage("choices: the response has none");
    assertThatThrownBy(
            () -> ChatMapping.response(read("{\"choices\":[]}", ChatCompletionBody.class), "m"))
        .hasMessage("choices: the response has none");
    assertThatThrownBy(
            () ->
                ChatMapping.response(
                    read("{\"choices\":[{\"index\":0}]}", ChatCompletionBody.class), "m"))
        .hasMessage("choices[0].message: missing");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "stop, STOP",
        "length, LENGTH",
        "LENGTH, LENGTH",
        "tool_calls, TOOL_CALLS",
        "function_call, TOOL_CALLS",
        "content_filter, CONTENT_FILTER",
        "eos, STOP",
        "null, STOP",
      })
  void finishReason_wireNames(String wire, FinishReason expected) {
    assertThat(ChatMapping.finishReason(wire)).isEqualTo(expected);
  }

  @Test
  void usage_missingCountsAreZero_costKept() {
    assertThat(ChatMapping.usage(null)).isEmpty();
    assertThat(ChatMapping.usage(new UsageBody(null, null, null))).contains(new Usage(0, 0));
    assertThat(ChatMapping.usage(new UsageBody(43, 10, 0.0)))
        .contains(new Usage(43, 10, OptionalDouble.of(0.0)));
  }

  @Test
  void servedModel_blankMeansRequested() {
    assertThat(ChatMapping.servedModel(null, "r")).isEqualTo("r");
    assertThat(ChatMapping.servedModel(" ", "r")).isEqualTo("r");
    assertThat(ChatMapping.servedModel("s", "r")).isEqualTo("s");
  }

  // ---- model listings ----

  /** Written after llama.cpp's listing: the alias, owned by llamacpp, its window in meta. */
  @Test
  void models_handWrittenLlamaListing_contextFromMeta() throws JsonProcessingException {
    String body =
        """
        {"object":"list","data":[{"id":"story-model","object":"model","created":1750000000,
          "owned_by":"llamacpp","meta":{"vocab_type":2,"n_vocab":32000,"n_ctx_train":8192,
          "n_embd":2048,"n_params":1100048384,"size":637770000}}]}""";

    // meta.n_ctx_train is 8192
    assertThat(ChatMapping.models(read(body, ModelListBody.class)))
        .containsExactly(new OpenAiModel("story-model", "llamacpp", OptionalInt.of(8192)));
  }

  @Test
  void models_handWrittenOpenAiListing_trailingCommaTolerated() throws JsonProcessingException {
    String body =
        """
        {"object":"list","data":[
          {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system",
           "shutdown_date":null},
          {"id":"o3-mini","object":"model","created":1737146383,"owned_by":"openai",
           "shutdown_date":"2027-01-31"},
        ]}""";

    assertThat(ChatMapping.models(read(body, ModelListBody.class)))
        .containsExactly(
            new OpenAiModel("gpt-4o-mini", "system", OptionalInt.empty()),
            new OpenAiModel("o3-mini", "openai", OptionalInt.empty()));
  }

  @Test
  void models_recordedLlamaListing_contextFromMeta() throws JsonProcessingException {
    String body = FixtureSet.shared("llama-server").exchange("models").response().bodyText();

    // meta.n_ctx_train is 4096
    assertThat(ChatMapping.models(read(body, ModelListBody.class)))
        .containsExactly(new OpenAiModel("tiny-random", "llamacpp", OptionalInt.of(4096)));
  }

  @Test
  void models_recordedOpenAiListing_trailingCommaTolerated() throws JsonProcessingException {
    String body =
        new String(
            FixtureSet.shared("openai").bytes("spec_models_list_response.json5"),
            StandardCharsets.UTF_8);

    assertThat(ChatMapping.models(read(body, ModelListBody.class)))
        .containsExactly(
            new OpenAiModel("model-id-0", "organization-owner", OptionalInt.empty()),
            new OpenAiModel("model-id-1", "organization-owner", OptionalInt.empty()),
            new OpenAiModel("model-id-2", "openai", OptionalInt.empty()));
  }

  @Test
  void models_contextFields_firstPositiveInOrder() throws JsonProcessingException {
    String body =
        "{\"data\":["
            + "{\"id\":\"a\",\"context_length\":1,\"max_model_len\":2,\"max_context_length\":3,\"meta\":{\"n_ctx_train\":4}},"
            + "{\"id\":\"b\",\"context_length\":0,\"max_model_len\":2,\"max_context_length\":3},"
            + "{\"id\":\"c\",\"max_context_length\":3,\"meta\":{\"n_ctx_train\":4}},"
            + "{\"id\":\"d\",\"meta\":{}},"
            + "{\"id\":\" \"},{\"object\":\"model\"}]}";

    assertThat(ChatMapping.models(read(body, ModelListBody.class)))
        .containsExactly(
            new OpenAiModel("a", "", OptionalInt.of(1)),
            new OpenAiModel("b", "", OptionalInt.of(2)),
            new OpenAiModel("c", "", OptionalInt.of(3)),
            new OpenAiModel("d", "", OptionalInt.empty()));
  }

  @Test
  void models_noData_empty() throws JsonProcessingException {
    assertThat(ChatMapping.models(read("{\"object\":\"list\"}", ModelListBody.class))).isEmpty();
    assertThat(Optional.of(new OpenAiModel("x", null, OptionalInt.empty()).ownedBy())).contains("");
  }
}
