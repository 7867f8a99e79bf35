package dev.tta.models.providers.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.testkit.replay.FixtureSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenRouterCatalogTest {

  static final ProviderId OPENROUTER = ProviderId.of("openrouter");
  static final JsonMapper JSON = JsonMapper.builder().build();

  static List<ModelInfo> parse(String json) throws Exception {
    return OpenRouterCatalog.parse(OPENROUTER, JSON.readTree(json));
  }

  static Map<String, ModelInfo> byId(List<ModelInfo> models) {
    return models.stream().collect(Collectors.toMap(ModelInfo::id, Function.identity()));
  }

  /** The catalog recorded on 2025-05-23 (../shared/fixtures/openrouter/models.json). */
  @Test
  void recordedCatalog_321ModelsWithPerTokenPricesAnd69Free() throws Exception {
    JsonNode body = JSON.readTree(FixtureSet.shared("openrouter").bytes("models.json"));
    List<ModelInfo> models = OpenRouterCatalog.parse(OPENROUTER, body);
    Map<String, ModelInfo> byId = byId(models);

    assertThat(models).hasSize(321);
    assertThat(models)
        .allSatisfy(m -> assertThat(m.providerType()).isEqualTo(ProviderType.OPENROUTER));

    // three read by hand from the file: pricing.prompt / pricing.completion, context_length
    ModelInfo gpt4oMini = byId.get("openai/gpt-4o-mini");
    assertThat(gpt4oMini.inputCostPerToken()).isCloseTo(0.00000015, within(1e-15));
    assertThat(gpt4oMini.outputCostPerToken()).isCloseTo(0.0000006, within(1e-15));
    assertThat(gpt4oMini.contextLength()).hasValue(128_000);
    assertThat(gpt4oMini.capabilities()).contains("chat", "vision", "tools");
    assertThat(gpt4oMini.free()).isFalse();

    ModelInfo llama = byId.get("meta-llama/llama-3.1-8b-instruct");
    assertThat(llama.inputCostPerToken()).isCloseTo(0.00000002, within(1e-15));
    assertThat(llama.outputCostPerToken()).isCloseTo(0.00000003, within(1e-15));
    assertThat(llama.contextLength()).hasValue(16_384);
    assertThat(llama.capabilities()).doesNotContain("vision");

    ModelInfo opus = byId.get("anthropic/claude-opus-4");
    assertThat(opus.inputCostPerToken()).isCloseTo(0.000015, within(1e-15));
    assertThat(opus.outputCostPerToken()).isCloseTo(0.000075, within(1e-15));
    assertThat(opus.contextLength()).hasValue(200_000);
    assertThat(opus.name()).isEqualTo("Anthropic: Claude Opus 4");
    assertThat(opus.capabilities())
        .containsExactlyInAnyOrder("chat", "vision", "tools", "reasoning");

    List<ModelInfo> free = models.stream().filter(ModelInfo::free).toList();
    assertThat(free).hasSize(69);
    assertThat(free).allSatisfy(m -> assertThat(m.effectiveCostPerToken()).isZero());
    Set<String> freeWithoutSuffix =
        free.stream()
            .map(ModelInfo::id)
            .filter(id -> !id.endsWith(":free"))
            .collect(Collectors.toSet());
    // 68 ':free' ids plus one zero-priced experimental model
    assertThat(freeWithoutSuffix).containsExactly("google/gemini-2.5-pro-exp-03-25");

    // openrouter/auto lists "-1" (variable): not free, priced at the dearest listed prices, which
    // are 0.00015 per prompt token and 0.0006 per completion token in this catalog
    ModelInfo auto = byId.get("openrouter/auto");
    assertThat(auto.free()).isFalse();
    assertThat(auto.inputCostPerToken()).isCloseTo(0.00015, within(1e-15));
    assertThat(auto.outputCostPerToken()).isCloseTo(0.0006, within(1e-15));
  }

  /** testkit's hand-written catalog: a priced model, a ':free' one and the variable router. */
  @Test
  void handWrittenCatalog_pricesWindowsCapabilitiesAndTheVariableRouter() throws Exception {
    JsonNode body =
        JSON.readTree(
            FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openrouter")
                .exchange("models")
                .response()
                .body());
    List<ModelInfo> models = OpenRouterCatalog.parse(OPENROUTER, body);
    Map<String, ModelInfo> byId = byId(models);

    assertThat(models)
        .extracting(ModelInfo::id)
        .containsExactly(
            "mistralai/mistral-small-3.2-24b-instruct",
            "meta-llama/llama-3.3-70b-instruct:free",
            "openrouter/auto");
    assertThat(models)
        .allSatisfy(m -> assertThat(m.providerType()).isEqualTo(ProviderType.OPENROUTER));

    ModelInfo mistral = byId.get("mistralai/mistral-small-3.2-24b-instruct");
    assertThat(mistral.name()).isEqualTo("Mistral: Mistral Small 3.2 24B");
    assertThat(mistral.description()).isEqualTo("A 24B instruction-tuned model.");
    assertThat(mistral.inputCostPerToken()).isEqualTo(0.00000005);
    assertThat(mistral.outputCostPerToken()).isEqualTo(0.0000001);
    assertThat(mistral.contextLength()).hasValue(131_072);
    // input_modalities ["image","text"]; supported_parameters name tools
    assertThat(mistral.capabilities()).containsExactlyInAnyOrder("chat", "vision", "tools");
    assertThat(mistral.free()).isFalse();

    ModelInfo llama = byId.get("meta-llama/llama-3.3-70b-instruct:free");
    assertThat(llama.free()).isTrue();
    assertThat(llama.effectiveCostPerToken()).isZero();
    // context_length 0: top_provider's 65536
    assertThat(llama.contextLength()).hasValue(65_536);
    assertThat(llama.capabilities()).containsExactly("chat");

    // "-1" (variable): not free, priced at the dearest listed prices, which are mistral's
    // 0.00000005 per prompt token and 0.0000001 per completion token
    ModelInfo auto = byId.get("openrouter/auto");
    assertThat(auto.free()).isFalse();
    assertThat(auto.inputCostPerToken()).isEqualTo(0.00000005);
    assertThat(auto.outputCostPerToken()).isEqualTo(0.0000001);
    assertThat(auto.contextLength()).hasValue(2_000_000);
    assertThat(auto.capabilities())
        .containsExactlyInAnyOrder("chat", "vision", "tools", "reasoning");
  }

  @Test
  void prices_areReadAsDecimalsPerToken_neverDividedAgain() throws Exception {
    ModelInfo model =
        parse(
                """
                {"data":[{"id":"a/b","pricing":{"prompt":"0.0000025","completion":"0.00001"},
                          "context_length":8192}]}""")
            .getFirst();

    assertThat(model.inputCostPerToken()).isEqualTo(2.5e-6);
    assertThat(model.outputCostPerToken()).isEqualTo(1e-5);
    assertThat(model.contextLength()).hasValue(8192);
    assertThat(model.free()).isFalse();
    assertThat(model.capabilities()).containsExactly("chat");
    assertThat(model.name()).isEqualTo("a/b");
  }

  @Test
  void freeSuffix_isFreeAndCostsNothing() throws Exception {
    ModelInfo model =
        parse(
                """
                {"data":[{"id":"x/y:free","pricing":{"prompt":"0.000001","completion":"0.000002"}}]}""")
            .getFirst();

    assertThat(model.free()).isTrue();
    assertThat(model.effectiveCostPerToken()).isZero();
  }

  @Test
  void free_needsBothPricesZero() throws Exception {
    Map<String, ModelInfo> byId =
        byId(
            parse(
                """
                {"data":[
                  {"id":"prompt-free","pricing":{"prompt":"0","completion":"0.000001"}},
                  {"id":"completion-free","pricing":{"prompt":"0.000001","completion":"0"}},
                  {"id":"both-free","pricing":{"prompt":"0","completion":"0"}}]}"""));

    // zero-priced without the ':free' suffix, as experimental models are listed
    assertThat(byId.get("both-free").free()).isTrue();
    assertThat(byId.get("prompt-free").free()).isFalse();
    assertThat(byId.get("prompt-free").outputCostPerToken()).isEqualTo(0.000001);
    assertThat(byId.get("completion-free").free()).isFalse();
    assertThat(byId.get("completion-free").inputCostPerToken()).isEqualTo(0.000001);
  }

  @Test
  void eitherPriceVariable_pricesTheModelAtTheDearestListed() throws Exception {
    Map<String, ModelInfo> byId =
        byId(
            parse(
                """
                {"data":[
                  {"id":"a","pricing":{"prompt":"0.000002","completion":"0.000001"}},
                  {"id":"b","pricing":{"prompt":"0.000001","completion":"0.000003"}},
                  {"id":"prompt-variable","pricing":{"prompt":"-1","completion":"0"}},
                  {"id":"completion-variable","pricing":{"prompt":"0","completion":"-1"}},
                  {"id":"router:free","pricing":{"prompt":"-1","completion":"-1"}}]}"""));

    for (String id : List.of("prompt-variable", "completion-variable", "router:free")) {
      assertThat(byId.get(id).free()).as(id).isFalse();
      assertThat(byId.get(id).inputCostPerToken()).as(id).isEqualTo(0.000002);
      assertThat(byId.get(id).outputCostPerToken()).as(id).isEqualTo(0.000003);
    }
    // the others keep their own prices, which are each dearest in one of the two
    assertThat(byId.get("a").outputCostPerToken()).isEqualTo(0.000001);
    assertThat(byId.get("b").inputCostPerToken()).isEqualTo(0.000001);
  }

  @Test
  void contextLength_fallsBackToTopProvider_thenIsUnknown() throws Exception {
    Map<String, ModelInfo> byId =
        byId(
            parse(
                """
                {"data":[
                  {"id":"a","pricing":{"prompt":"0","completion":"0"},"context_length":0,
                   "top_provider":{"context_length":65536}},
                  {"id":"b","pricing":{"prompt":"0","completion":"0"}}]}"""));

    assertThat(byId.get("a").contextLength()).hasValue(65_536);
    assertThat(byId.get("b").contextLength()).isEmpty();
  }

  @Test
  void variablePrice_withNothingElseListed_costsNothingButIsNotFree() throws Exception {
    ModelInfo auto =
        parse(
                "{\"data\":[{\"id\":\"openrouter/auto\",\"pricing\":{\"prompt\":\"-1\",\"completion\":\"-1\"}}]}")
            .getFirst();

    assertThat(auto.free()).isFalse();
    assertThat(auto.effectiveCostPerToken()).isZero();
  }

  @Test
  void unreadableEntries_areLeftOut() throws Exception {
    List<ModelInfo> models =
        parse(
            """
            {"data":[
              {"pricing":{"prompt":"0","completion":"0"}},
              {"id":" ","pricing":{"prompt":"0","completion":"0"}},
              {"id":"no-pricing"},
              {"id":"no-completion-price","pricing":{"prompt":"0"}},
              {"id":"null-price","pricing":{"prompt":null,"completion":"0"}},
              {"id":"bad-price","pricing":{"prompt":"cheap","completion":"0"}},
              {"id":"object-price","pricing":{"prompt":{},"completion":"0"}},
              {"id":"huge-price","pricing":{"prompt":"1e400","completion":"0"}},
              {"id":"numeric-price","pricing":{"prompt":0.5,"completion":1}},
              {"id":"ok","pricing":{"prompt":"0.1","completion":"0.2"}}]}""");

    assertThat(models).extracting(ModelInfo::id).containsExactly("numeric-price", "ok");
    assertThat(models.getFirst().inputCostPerToken()).isEqualTo(0.5);
    assertThat(models.getFirst().outputCostPerToken()).isEqualTo(1.0);
  }

  @Test
  void aBodyWithoutData_isRefused() {
    assertThatThrownBy(() -> parse("{\"models\":[]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model listing has no 'data' array");
  }
}
