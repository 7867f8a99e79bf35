package dev.tta.models.providers.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.lmstudio.LmStudioCatalog.Listed;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LmStudioCatalogTest {

  static List<Listed> parse(String json) throws Exception {
    return LmStudioCatalog.parse(
        ProviderId.of("lmstudio"), JsonMapper.builder().build().readTree(json));
  }

  @Test
  void eachTypeAndState() throws Exception {
    List<Listed> listed =
        parse(
            """
            {"data":[
              {"id":"llm-loaded","type":"llm","state":"loaded","max_context_length":131072,
               "loaded_context_length":8192,"publisher":"p","arch":"llama"},
              {"id":"llm-loaded-no-window","type":"llm","state":"loaded","max_context_length":16384},
              {"id":"vlm","type":"vlm","state":"not-loaded","max_context_length":32768,
               "loaded_context_length":2048},
              {"id":"emb","type":"embeddings","state":"not-loaded","max_context_length":2048},
              {"id":"emb-v1","type":"embedding","max_context_length":0},
              {"id":"odd","type":"tts","state":"loading"}]}""");

    assertThat(listed)
        .extracting(l -> l.info().id())
        .containsExactly("llm-loaded", "llm-loaded-no-window", "vlm", "emb", "emb-v1", "odd");
    assertThat(listed)
        .extracting(Listed::chat)
        .containsExactly(true, true, true, false, false, false);
    assertThat(listed)
        .extracting(Listed::status)
        .containsExactly(
            ModelStatus.READY,
            ModelStatus.READY,
            ModelStatus.AVAILABLE,
            ModelStatus.AVAILABLE,
            ModelStatus.AVAILABLE,
            ModelStatus.AVAILABLE);
    // loaded: the loaded window; not loaded: the maximum, even when a stale loaded window is given
    assertThat(listed)
        .extracting(l -> l.info().contextLength())
        .containsExactly(
            OptionalInt.of(8192),
            OptionalInt.of(16384),
            OptionalInt.of(32768),
            OptionalInt.of(2048),
            OptionalInt.empty(),
            OptionalInt.empty());
    assertThat(listed.get(0).info().capabilities()).containsExactly("chat");
    assertThat(listed.get(2).info().capabilities()).containsExactlyInAnyOrder("chat", "vision");
    assertThat(listed.get(3).info().capabilities()).containsExactly("embeddings");
    assertThat(listed.get(4).info().capabilities()).containsExactly("embeddings");
    assertThat(listed.get(5).info().capabilities()).isEmpty();
    assertThat(listed.get(0).info().description()).isEqualTo("p, llama");
    assertThat(listed.get(1).info().description()).isEmpty();
    assertThat(listed.get(0).info().free()).isTrue();
  }

  @Test
  void entriesWithoutAnId_leftOut_andABodyWithoutData_refused() throws Exception {
    assertThat(parse("{\"data\":[{\"type\":\"llm\"},{\"id\":\" \"}]}")).isEmpty();
    assertThatThrownBy(() -> parse("{\"data\":{}}"))
        .hasMessage("the model listing has no 'data' array");
  }
}
