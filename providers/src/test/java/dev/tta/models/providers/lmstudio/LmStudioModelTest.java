package dev.tta.models.providers.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ResponseFormat;
import org.junit.jupiter.api.Test;

class LmStudioModelTest {

  private static final ChatRequest.Builder HELLO =
      ChatRequest.builder().addMessage(ChatMessage.user("hello"));

  @Test
  void aJsonObjectRequest_goesAsASchemaOfAnyObject_whichLmStudioHonours() {
    ChatRequest sent =
        LmStudioModel.jsonObjectAsSchema(
            HELLO.responseFormat(new ResponseFormat.JsonObject()).build());

    assertThat(sent.responseFormat())
        .isEqualTo(
            new ResponseFormat.JsonSchema("json_object", "", "{\"type\":\"object\"}", false));
    assertThat(sent.messages()).containsExactly(ChatMessage.user("hello"));
  }

  @Test
  void textAndSchemaRequests_goAsTheyAre() {
    ChatRequest text = HELLO.responseFormat(ResponseFormat.TEXT).build();
    ChatRequest schema =
        HELLO.responseFormat(new ResponseFormat.JsonSchema("s", "", "{}", true)).build();

    assertThat(LmStudioModel.jsonObjectAsSchema(text)).isSameAs(text);
    assertThat(LmStudioModel.jsonObjectAsSchema(schema)).isSameAs(schema);
  }
}
