package dev.tta.models.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.catalog.TaskType;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes what a client POSTs to {@code /v1/chat/completions}, read and then merged into
 * requirements as the gateway does before routing.
 *
 * <p>Property: any body is either accepted or refused with an {@link OpenAiError} 400 of type
 * {@code invalid_request_error}; every refusal other than a body that is not a JSON object names
 * the field at fault in {@code param} (a field of the body, or {@code model} or {@code messages},
 * which are required), and its message starts with that name. An accepted body has a model and at
 * least one message, and the fields it reports as ignored are exactly the body's fields that the
 * gateway does not know.
 */
class ChatCompletionReaderFuzzTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> REQUIRED = Set.of("model", "messages");
  private static final Set<String> CODES =
      Set.of("invalid_json", "invalid_value", "missing_required_parameter");

  /** The fields the reader documents, listed here independently of its own list. */
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "model",
          "models",
          "messages",
          "stream",
          "stream_options",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "stop",
          "seed",
          "tools",
          "tool_choice",
          "metadata",
          "n",
          "user",
          "logprobs");

  private final ChatCompletionReader reader = new ChatCompletionReader(JSON);

  @FuzzTest
  void chatCompletionBody(byte[] bytes) {
    String body = new String(bytes, StandardCharsets.UTF_8);
    ChatCompletionCall call;
    try {
      call = reader.read(body, header -> null);
    } catch (OpenAiError e) {
      assertNamesTheField(e, topLevelFields(body));
      return;
    }
    Set<String> fields = topLevelFields(body);
    assertThat(call.model()).isNotBlank();
    assertThat(call.chat().messages()).isNotEmpty();
    Set<String> ignored = new HashSet<>(fields);
    ignored.removeAll(KNOWN_FIELDS);
    assertThat(call.ignoredFields()).containsExactlyInAnyOrderElementsOf(ignored);
    try {
      call.requirementsOver(RequirementHints.defaultsFor(TaskType.GENERAL_CHAT));
    } catch (OpenAiError e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.param()).as(e.getMessage()).startsWith("metadata.");
      assertThat(e.getMessage()).startsWith(e.param());
    }
  }

  private static void assertNamesTheField(OpenAiError e, Set<String> fields) {
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.type()).isEqualTo("invalid_request_error");
    assertThat(e.code()).isIn(CODES);
    assertThat(e.getMessage()).isNotBlank();
    if (e.code().equals("invalid_json")) {
      assertThat(e.param()).isNull();
      return;
    }
    assertThat(e.param()).as("param of: %s", e.getMessage()).isNotBlank();
    assertThat(e.getMessage()).startsWith(e.param());
    String topLevel = e.param().split("[.\\[]", 2)[0];
    assertThat(
            fields.contains(e.param()) || fields.contains(topLevel) || REQUIRED.contains(topLevel))
        .as("'%s' is a field of the body or a required one: %s", topLevel, e.getMessage())
        .isTrue();
  }

  private static Set<String> topLevelFields(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.isObject() ? new HashSet<>(root.propertyNames()) : Set.of();
    } catch (JacksonException e) {
      return Set.of();
    }
  }
}
