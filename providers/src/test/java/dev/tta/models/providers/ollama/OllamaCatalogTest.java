package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.testkit.replay.FixtureSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OllamaCatalogTest {

  static final ProviderId OLLAMA = ProviderId.of("ollama");

  static JsonNode json(String text) throws Exception {
    return OpenAiJson.mapper().readTree(text);
  }

  static JsonNode recorded(String name) throws Exception {
    return OpenAiJson.mapper().readTree(FixtureSet.shared("ollama").bytes(name));
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/ollama");

  @Test
  void handWrittenTags_namesSizesAndDetails() throws Exception {
    List<OllamaCatalog.Pulled> pulled =
        OllamaCatalog.tags(OpenAiJson.mapper().readTree(HAND.exchange("tags").response().body()));

    assertThat(pulled)
        .containsExactly(
            new OllamaCatalog.Pulled(
                "llama3.2:latest",
                "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
                2_019_393_189L,
                "llama, 3.2B, Q4_K_M"),
            new OllamaCatalog.Pulled(
                "qwen2.5:0.5b",
                "a8b0c51577010a279d933d14c2a8ab4b268079d44c5c8830c0a93900f1827c67",
                397_821_319L,
                "qwen2, 494.03M, Q4_K_M"));
  }

  @Test
  void handWrittenTags_blankDetailsLeftOutOfTheDescription() throws Exception {
    List<OllamaCatalog.Pulled> pulled =
        OllamaCatalog.tags(
            json(
                """
                {"models":[{"name":"tinyllama:1.1b","model":"tinyllama:1.1b","size":637700138,
                            "digest":"2644915ede35",
                            "details":{"format":"gguf","family":"llama","parameter_size":" ",
                                       "quantization_level":"Q4_0"}},
                           {"name":"","model":"","size":5}]}"""));

    assertThat(pulled)
        .containsExactly(
            new OllamaCatalog.Pulled(
                "tinyllama:1.1b", "2644915ede35", 637_700_138L, "llama, Q4_0"));
  }

  @Test
  void documentedTags_namesSizesAndDetails() throws Exception {
    List<OllamaCatalog.Pulled> pulled = OllamaCatalog.tags(recorded("tags_response.json"));

    assertThat(pulled)
        .containsExactly(
            new OllamaCatalog.Pulled(
                "deepseek-r1:latest",
                "0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163",
                4_683_075_271L,
                "qwen2, 7.6B, Q4_K_M"),
            new OllamaCatalog.Pulled(
                "llama3.2:latest",
                "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
                2_019_393_189L,
                "llama, 3.2B, Q4_K_M"));
  }

  @Test
  void documentedShow_contextOfItsArchitectureAndCapabilitiesInOurWords() throws Exception {
    OllamaCatalog.Shown shown = OllamaCatalog.show(recorded("show_response_openapi.json"));

    // model_info["gemma4.context_length"]; capabilities [completion, vision]
    assertThat(shown)
        .isEqualTo(new OllamaCatalog.Shown(OptionalInt.of(131_072), Set.of("chat", "vision")));
  }

  /**
   * Written after the documented /api/show answer: the window is read under the model's own
   * architecture, never under another one's key.
   */
  @Test
  void handWrittenShow_contextOfItsArchitectureAndCapabilitiesInOurWords() throws Exception {
    OllamaCatalog.Shown shown =
        OllamaCatalog.show(
            json(
                """
                {"modelfile":"FROM qwen3:4b","parameters":"temperature 0.6",
                 "details":{"format":"gguf","family":"qwen3","parameter_size":"4.0B"},
                 "model_info":{"general.architecture":"qwen3","general.parameter_count":4022468096,
                               "llama.context_length":4096,"qwen3.context_length":40960,
                               "qwen3.embedding_length":2560},
                 "capabilities":["completion","tools","thinking"]}"""));

    assertThat(shown)
        .isEqualTo(
            new OllamaCatalog.Shown(OptionalInt.of(40_960), Set.of("chat", "tools", "reasoning")));
  }

  @Test
  void show_otherCapabilitiesAndMissingContext() throws Exception {
    OllamaCatalog.Shown shown =
        OllamaCatalog.show(
            json(
                """
                {"capabilities":["embedding","thinking","tools"],
                 "model_info":{"general.architecture":"bert"}}"""));

    assertThat(shown.contextLength()).isEmpty();
    assertThat(shown.capabilities()).containsExactly("embeddings", "reasoning", "tools");
  }

  @Test
  void documentedPs_theLoadedNames() throws Exception {
    assertThat(OllamaCatalog.running(recorded("ps_response.json")))
        .containsExactly("mistral:latest");
    assertThat(OllamaCatalog.running(json("{\"models\":[{\"model\":\"m:1\"},{\"name\":\"\"}]}")))
        .containsExactly("m:1");
  }

  @Test
  void handWrittenPs_theLoadedNames() throws Exception {
    assertThat(
            OllamaCatalog.running(
                json(
                    """
                    {"models":[{"name":"qwen3:4b","model":"qwen3:4b","size":5137025024,
                                "digest":"2bfd38a7daaf","expires_at":"2025-06-01T10:05:00Z",
                                "size_vram":5137025024},
                               {"name":"gemma3:1b","model":"gemma3:1b","size":1119000000}]}""")))
        .containsExactlyInAnyOrder("qwen3:4b", "gemma3:1b");
    // the name when given, else the model field; entries with neither are left out
    assertThat(
            OllamaCatalog.running(
                json(
                    "{\"models\":[{\"model\":\"m:1\"},{\"name\":\"n:2\",\"model\":\"x\"},"
                        + "{\"name\":\"\"},{\"name\":\" \"}]}")))
        .containsExactlyInAnyOrder("m:1", "n:2");
    assertThat(OllamaCatalog.running(json("{}"))).isEmpty();
  }

  @Test
  void tags_oddEntriesAndBadBody() throws Exception {
    assertThat(OllamaCatalog.tags(json("{\"models\":[{\"model\":\"only-model\"},{}]}")))
        .containsExactly(new OllamaCatalog.Pulled("only-model", "", 0, ""));
    assertThatThrownBy(() -> OllamaCatalog.tags(json("{\"data\":[]}")))
        .hasMessage("the model listing has no 'models' array");
  }

  @Test
  void info_fromOllamaAlone() {
    OllamaCatalog.Pulled pulled =
        new OllamaCatalog.Pulled("llama3.2:latest", "d", 2_019_393_189L, "llama, 3.2B, Q4_K_M");

    ModelInfo info =
        OllamaCatalog.info(
            OLLAMA,
            pulled,
            new OllamaCatalog.Shown(OptionalInt.of(131_072), Set.of("chat", "tools")),
            null);

    assertThat(info.providerType()).isEqualTo(ProviderType.OLLAMA);
    assertThat(info.local()).isTrue();
    assertThat(info.free()).isTrue();
    assertThat(info.contextLength()).hasValue(131_072);
    assertThat(info.capabilities()).containsExactlyInAnyOrder("chat", "tools");
    assertThat(info.estimatedMemoryBytes()).hasValue(2_019_393_189L);
    assertThat(info.description()).isEqualTo("llama, 3.2B, Q4_K_M");
    assertThat(OllamaCatalog.chats(OllamaCatalog.Shown.UNKNOWN)).isTrue();
    ModelInfo unknown =
        OllamaCatalog.info(
            OLLAMA, new OllamaCatalog.Pulled("x", "", 0, ""), OllamaCatalog.Shown.UNKNOWN, null);
    assertThat(unknown.capabilities()).containsExactly("chat");
    assertThat(unknown.estimatedMemoryBytes()).isEmpty();
    assertThat(unknown.contextLength()).isEmpty();
    assertThat(unknown.assistantPrefill()).isEqualTo(AssistantPrefill.SUPPORTED);
  }

  @Test
  void info_configurationOverOllama_capabilitiesJoined() {
    CustomModelSettings configured =
        CustomModelSettings.builder("llama3.2:latest")
            .name("Llama 3.2")
            .description("the story model")
            .contextLength(8192)
            .capabilities("chat", "dialogue")
            .therapeuticSafetyScore(7.5)
            .performanceScore(6)
            .build();

    ModelInfo info =
        OllamaCatalog.info(
            OLLAMA,
            new OllamaCatalog.Pulled("llama3.2:latest", "d", 1, "llama"),
            new OllamaCatalog.Shown(OptionalInt.of(131_072), Set.of("chat", "tools")),
            configured);

    assertThat(info.name()).isEqualTo("Llama 3.2");
    assertThat(info.description()).isEqualTo("the story model");
    assertThat(info.contextLength()).hasValue(8192);
    assertThat(info.capabilities()).containsExactlyInAnyOrder("chat", "tools", "dialogue");
    assertThat(info.therapeuticSafetyScore()).hasValue(7.5);
    assertThat(info.performanceScore()).hasValue(6);
    ModelInfo plain =
        OllamaCatalog.info(
            OLLAMA,
            new OllamaCatalog.Pulled("m", "d", 1, "ollama says"),
            OllamaCatalog.Shown.UNKNOWN,
            CustomModelSettings.builder("m").build());
    assertThat(plain.description()).isEqualTo("ollama says");
    assertThat(plain.contextLength()).isEmpty();
  }

  @Test
  void embeddingsOnly_isNoChatModel() {
    assertThat(
            OllamaCatalog.chats(new OllamaCatalog.Shown(OptionalInt.empty(), Set.of("embeddings"))))
        .isFalse();
    assertThat(
            OllamaCatalog.chats(
                new OllamaCatalog.Shown(OptionalInt.empty(), Set.of("chat", "tools"))))
        .isTrue();
  }
}
