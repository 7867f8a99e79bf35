package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.SharedFixtures;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validator on a small OpenAPI document written for this test; {@link PublishedSpecification}
 * runs it on OpenAI's published one where {@code ../shared} has it.
 */
class OpenApiRequestValidatorTest {

  static final String USER_HI = "{\"role\":\"user\",\"content\":\"hi\"}";

  static Path handWritten() {
    try {
      return Path.of(OpenApiRequestValidatorTest.class.getResource("chat-openapi.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String request(String fields) {
    return "{\"model\":\"m\",\"messages\":[" + USER_HI + "]" + fields + "}";
  }

  final OpenApiRequestValidator validator =
      OpenApiRequestValidator.forSchema(
          handWritten(), OpenApiRequestValidator.CHAT_COMPLETION_REQUEST);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ",\"temperature\":2",
        ",\"temperature\":0,\"max_tokens\":16",
        ",\"stop\":\"\\n\"",
        ",\"stop\":[\"a\",\"b\",\"c\",\"d\"]"
      })
  void violations_validRequests_none(String fields) {
    assertThat(validator.violations(request(fields))).isEmpty();
  }

  @Test
  void violations_anAssistantMessageWithoutContent_isValid_aUserOneIsNot() {
    assertThat(
            validator.violations(
                "{\"model\":\"m\",\"messages\":[" + USER_HI + ",{\"role\":\"assistant\"}]}"))
        .isEmpty();
    assertThat(validator.violations("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}"))
        .isNotEmpty();
  }

  @Test
  void violations_nameTheFieldThatBreaksTheSchema() {
    assertThat(validator.violations(request(",\"temperature\":2.5")))
        .singleElement()
        .asString()
        .contains("/temperature");
    assertThat(validator.violations(request(",\"max_tokens\":null")))
        .singleElement()
        .asString()
        .contains("/max_tokens");
    assertThat(validator.violations("{\"model\":\"m\",\"messages\":[]}"))
        .singleElement()
        .asString()
        .contains("/messages");
    assertThat(validator.violations("{\"messages\":[" + USER_HI + "]}"))
        .singleElement()
        .asString()
        .contains("model");
    assertThat(validator.violations(request(",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]")))
        .isNotEmpty()
        .allSatisfy(violation -> assertThat(violation).contains("/stop"));
  }

  @Test
  void violations_notJson_isOneViolation() {
    assertThat(validator.violations("not json"))
        .singleElement()
        .asString()
        .startsWith("not valid JSON: ");
  }

  @Test
  void forSchema_sharedPerFileAndSchema() {
    assertThat(
            OpenApiRequestValidator.forSchema(
                handWritten(), OpenApiRequestValidator.CHAT_COMPLETION_REQUEST))
        .isSameAs(validator);
    assertThat(validator.schemaName()).isEqualTo("CreateChatCompletionRequest");
    OpenApiRequestValidator models = OpenApiRequestValidator.forSchema(handWritten(), "ModelList");
    assertThat(models).isNotSameAs(validator);
    assertThat(models.schemaName()).isEqualTo("ModelList");
    assertThat(models.violations("{\"data\":[]}")).isEmpty();
    assertThat(models.violations("{}")).isNotEmpty();
  }

  @Test
  void forSchema_aMissingDocument_fails(@TempDir Path folder) {
    Path missing = folder.resolve("openapi.yaml");

    assertThatThrownBy(() -> OpenApiRequestValidator.forSchema(missing, "Any"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void shared_whenTheSharedFolderLacksTheSpecification_isEmpty(@TempDir Path folder)
      throws Exception {
    Files.createDirectories(folder.resolve("fixtures/openai"));
    String before = System.getProperty(SharedFixtures.PROPERTY);
    System.setProperty(SharedFixtures.PROPERTY, folder.toString());
    try {
      assertThat(OpenApiRequestValidator.shared("openai", "Any")).isEmpty();
      assertThat(OpenApiRequestValidator.shared("no-such-provider", "Any")).isEmpty();
    } finally {
      if (before == null) {
        System.clearProperty(SharedFixtures.PROPERTY);
      } else {
        System.setProperty(SharedFixtures.PROPERTY, before);
      }
    }
  }

  /** OpenAI's published specification and recorded requests, from {@code ../shared}. */
  @Nested
  class PublishedSpecification {

    OpenApiRequestValidator published;
    FixtureSet openai;

    @BeforeEach
    void load() {
      openai = FixtureSet.shared("openai");
      Path spec = openai.file("openapi.yaml").orElseThrow();
      published =
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
      assertThat(published.violations(new String(openai.bytes(file), StandardCharsets.UTF_8)))
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

      assertThat(published.violations(body)).isEmpty();
    }

    @Test
    void violations_requestsTheApiWouldReject() {
      // a user message without content
      assertThat(published.violations("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}"))
          .isNotEmpty();
      // an optional field sent as null: only set fields may be sent
      assertThat(
              published.violations(
                  "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":null}"))
          .isNotEmpty();
      // no messages
      assertThat(published.violations("{\"model\":\"m\",\"messages\":[]}")).isNotEmpty();
      // temperature above 2
      assertThat(
              published.violations(
                  "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":2.5}"))
          .isNotEmpty();
      // no model
      assertThat(published.violations("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .isNotEmpty();
      assertThat(published.violations("not json")).hasSize(1);
    }

    @Test
    void forSchema_sharedPerFileAndSchema() {
      Path spec = openai.file("openapi.yaml").orElseThrow();

      assertThat(
              OpenApiRequestValidator.forSchema(
                  spec, OpenApiRequestValidator.CHAT_COMPLETION_REQUEST))
          .isSameAs(published);
      assertThat(published.schemaName()).isEqualTo("CreateChatCompletionRequest");
    }
  }
}
