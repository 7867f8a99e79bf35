package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.providers.openai.OpenAiModel;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CustomApiCatalogTest {

  static final ProviderId ID = ProviderId.of("llamacpp");
  // what llama-server/models.response.http lists: meta.n_ctx_train 4096
  static final OpenAiModel LISTED =
      new OpenAiModel("tiny-random", "llamacpp", OptionalInt.of(4096));

  @Test
  void merge_configuredAndListed_configurationWins() {
    // the server runs with -c 512 (props: n_ctx 512) although the model was trained on 4096
    CustomModelSettings configured =
        CustomModelSettings.builder("tiny-random")
            .name("Tiny random")
            .description("random weights")
            .contextLength(512)
            .capabilities("chat", "dialogue")
            .therapeuticSafetyScore(2.0)
            .performanceScore(1.0)
            .free(true)
            .build();

    List<ModelInfo> models = CustomApiCatalog.merge(ID, List.of(configured), List.of(LISTED));

    assertThat(models)
        .containsExactly(
            ModelInfo.builder(ID, ProviderType.CUSTOM_API, "tiny-random")
                .name("Tiny random")
                .description("random weights")
                .contextLength(512)
                .free(true)
                .capabilities("chat", "dialogue")
                .therapeuticSafetyScore(2.0)
                .performanceScore(1.0)
                .build());
  }

  @Test
  void merge_configuredWithoutContext_takesTheListedOne() {
    List<ModelInfo> models =
        CustomApiCatalog.merge(
            ID,
            List.of(
                CustomModelSettings.builder("tiny-random")
                    .costPerToken(0.000001, 0.000003)
                    .build()),
            List.of(LISTED));

    assertThat(models).hasSize(1);
    assertThat(models.getFirst().contextLength()).hasValue(4096);
    assertThat(models.getFirst().inputCostPerToken()).isEqualTo(0.000001);
    assertThat(models.getFirst().outputCostPerToken()).isEqualTo(0.000003);
  }

  @Test
  void merge_configuredButNotListed_offeredWithTheDefaultContext() {
    List<ModelInfo> models =
        CustomApiCatalog.merge(
            ID, List.of(CustomModelSettings.builder("gpt-4o").build()), List.of());

    assertThat(models).extracting(ModelInfo::id).containsExactly("gpt-4o");
    assertThat(models.getFirst().contextLength()).isEmpty();
  }

  @Test
  void merge_listedOnly_defaults() {
    List<ModelInfo> models =
        CustomApiCatalog.merge(
            ID, List.of(), List.of(LISTED, new OpenAiModel("other", "", OptionalInt.empty())));

    assertThat(models)
        .containsExactly(
            ModelInfo.builder(ID, ProviderType.CUSTOM_API, "tiny-random")
                .contextLength(4096)
                .capabilities("chat")
                .build(),
            ModelInfo.builder(ID, ProviderType.CUSTOM_API, "other").capabilities("chat").build());
    assertThat(models.get(1).contextLength()).isEmpty();
    assertThat(models.get(1).assistantPrefill()).isEqualTo(AssistantPrefill.UNKNOWN);
    assertThat(models.getFirst().therapeuticSafetyScore()).isEqualTo(OptionalDouble.empty());
    assertThat(models.getFirst().free()).isFalse();
  }

  @Test
  void merge_order_configuredFirstThenListed_duplicatesOnce() {
    List<ModelInfo> models =
        CustomApiCatalog.merge(
            ID,
            List.of(
                CustomModelSettings.builder("b").build(), CustomModelSettings.builder("a").build()),
            List.of(
                new OpenAiModel("c", "", OptionalInt.of(100)),
                new OpenAiModel("a", "", OptionalInt.of(200)),
                new OpenAiModel("c", "", OptionalInt.of(300))));

    assertThat(models).extracting(ModelInfo::id).containsExactly("b", "a", "c");
    // a takes the listed 200; the first listing of c counts
    assertThat(models)
        .extracting(ModelInfo::contextLength)
        .containsExactly(OptionalInt.empty(), OptionalInt.of(200), OptionalInt.of(100));
  }
}
