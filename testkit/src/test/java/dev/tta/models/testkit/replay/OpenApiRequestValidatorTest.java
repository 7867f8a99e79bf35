package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenApiRequestValidatorTest {

  OpenApiRequestValidator validator;
  FixtureSet openai;

  @BeforeEach
  void load() {
    openai = FixtureSet.shared("openai");
    Path spec = openai.file("openapi.yaml").orElseThrow();
    validator =
        OpenApiRequestValidator.forSchema(spec, OpenApiRequestValidator.CHAT_COMPLETION_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chat_completions_request.json",
        "chat_completions_stream_usage_request.json",
        "spec_chat_completions_request.json",
        "spec_chat_completions_tools_request.json"
      })
  void violations_recordedRequests_none(String file) {
    assertThat(validator.violations(new String(openai.bytes(file), StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void violations_recordedLlamaRequest_none() {
    String body =
        FixtureSet.shared("llama-server")
            .exchange("chat_stream_include_usage")
            .request()
            .orElseThrow()
            .bodyText();

    assertThat(validator.violations(body)).isEmpty();
  }

  @Test
  void violations_requestsTheApiWouldReject() {
    // a user message without content
    assertThat(validator.violations("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}"))
        .isNotEmpty();
    // an optional field sent as null: only set fields may be sent
    assertThat(
            validator.violations(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":null}"))
        .isNotEmpty();
    // no messages
    assertThat(validator.violations("{\"model\":\"m\",\"messages\":[]}")).isNotEmpty();
    // temperature above 2
    assertThat(
            validator.violations(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":2.5}"))
        .isNotEmpty();
    // no model
    assertThat(validator.violations("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isNotEmpty();
    assertThat(validator.violations("not json")).hasSize(1);
  }

  @Test
  void forSchema_sharedPerFileAndSchema() {
    Path spec = openai.file("openapi.yaml").orElseThrow();

    assertThat(
            OpenApiRequestValidator.forSchema(
                spec, OpenApiRequestValidator.CHAT_COMPLETION_REQUEST))
        .isSameAs(validator);
    assertThat(validator.schemaName()).isEqualTo("CreateChatCompletionRequest");
  }
}
