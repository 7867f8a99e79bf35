package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseFormatTest {

  @Test
  void wireNames_areOpenAisTypes() {
    assertThat(ResponseFormat.TEXT.wireName()).isEqualTo("text");
    assertThat(new ResponseFormat.JsonObject().wireName()).isEqualTo("json_object");
    assertThat(new ResponseFormat.JsonSchema("x", null, null, false).wireName())
        .isEqualTo("json_schema");
  }

  @Test
  void aSchema_withoutDescriptionOrSchema_hasThemEmpty_andItsSchemaStripped() {
    ResponseFormat.JsonSchema bare = new ResponseFormat.JsonSchema("mood-2", null, null, false);
    assertThat(bare.description()).isEmpty();
    assertThat(bare.schema()).isEmpty();

    assertThat(new ResponseFormat.JsonSchema("m", "", "  {\"type\":\"object\"}\n", true).schema())
        .isEqualTo("{\"type\":\"object\"}");
  }

  @Test
  void aSchemaName_ofUpTo64LettersDigitsUnderscoresOrHyphens_isAccepted() {
    String longest = "a".repeat(64);
    assertThat(new ResponseFormat.JsonSchema(longest, "", "", false).name()).isEqualTo(longest);
    assertThat(new ResponseFormat.JsonSchema("Scene_Card-v2", "", "", false).name())
        .isEqualTo("Scene_Card-v2");
  }

  @Test
  void aSchemaName_emptyTooLongOrWithOtherCharacters_isRefusedNamingTheField() {
    for (String bad : new String[] {"", "a".repeat(65), "scene card", "scène", "a.b"}) {
      assertThatThrownBy(() -> new ResponseFormat.JsonSchema(bad, "", "", false))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "response_format.json_schema.name: must be 1 to 64 letters, digits, underscores or"
                  + " hyphens");
    }
    assertThatThrownBy(() -> new ResponseFormat.JsonSchema(null, "", "", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("response_format.json_schema.name: is required");
  }
}
