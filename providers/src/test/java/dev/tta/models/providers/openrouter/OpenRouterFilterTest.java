package dev.tta.models.providers.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OpenRouterFilterTest {

  static ModelInfo model(String id, double input, double output, boolean free) {
    return ModelInfo.builder(ProviderId.of("openrouter"), ProviderType.OPENROUTER, id)
        .costPerToken(input, output)
        .free(free)
        .build();
  }

  static final ModelInfo DEAR = model("dear", 0.00001, 0.00003, false);
  static final ModelInfo CHEAP = model("cheap", 0.000001, 0.000002, false);
  static final ModelInfo FREE = model("free:free", 0, 0, true);
  static final List<ModelInfo> CATALOG = List.of(DEAR, CHEAP, FREE);

  @Test
  void none_offersEverythingInOrder() {
    assertThat(OpenRouterFilter.NONE.apply(CATALOG)).containsExactly(DEAR, CHEAP, FREE);
  }

  @Test
  void freeOnly_offersOnlyFreeModels() {
    OpenRouterFilter filter = new OpenRouterFilter(true, false, OptionalDouble.empty());

    assertThat(filter.apply(CATALOG)).containsExactly(FREE);
  }

  @Test
  void maxCost_comparesTheDearerOfThePrices() {
    // CHEAP's completion price 0.000002 is the one compared
    assertThat(new OpenRouterFilter(false, false, OptionalDouble.of(0.000002)).apply(CATALOG))
        .containsExactly(CHEAP, FREE);
    assertThat(new OpenRouterFilter(false, false, OptionalDouble.of(0.0000019)).apply(CATALOG))
        .containsExactly(FREE);
  }

  @Test
  void preferFree_listsFreeModelsFirstKeepingTheRestInOrder() {
    OpenRouterFilter filter = new OpenRouterFilter(false, true, OptionalDouble.empty());

    assertThat(filter.apply(CATALOG)).containsExactly(FREE, DEAR, CHEAP);
  }

  @Test
  void negativeCeiling_refused() {
    assertThatThrownBy(() -> new OpenRouterFilter(false, false, OptionalDouble.of(-0.1)))
        .hasMessage("max_cost_per_token: must be a finite number of at least 0, was -0.1");
  }

  @Test
  void environment_overridesOnlyWhatIsSet() {
    OpenRouterFilter base = new OpenRouterFilter(false, true, OptionalDouble.of(0.5));

    assertThat(base.withEnvironment(Map.of())).isEqualTo(base);
    assertThat(base.withEnvironment(Map.of("OPENROUTER_SHOW_FREE_ONLY", "TRUE")))
        .isEqualTo(new OpenRouterFilter(true, true, OptionalDouble.of(0.5)));
    assertThat(
            base.withEnvironment(
                Map.of(
                    "OPENROUTER_PREFER_FREE_MODELS", " no ",
                    "OPENROUTER_MAX_COST_PER_TOKEN", "0.000001",
                    "OPENROUTER_SHOW_FREE_ONLY", "")))
        .isEqualTo(new OpenRouterFilter(false, false, OptionalDouble.of(0.000001)));
    assertThat(
            OpenRouterFilter.NONE.withEnvironment(
                Map.of("OPENROUTER_SHOW_FREE_ONLY", "1", "OPENROUTER_PREFER_FREE_MODELS", "on")))
        .isEqualTo(new OpenRouterFilter(true, true, OptionalDouble.empty()));
    assertThat(
            OpenRouterFilter.NONE.withEnvironment(
                Map.of("OPENROUTER_SHOW_FREE_ONLY", "yes", "OPENROUTER_PREFER_FREE_MODELS", "0")))
        .isEqualTo(new OpenRouterFilter(true, false, OptionalDouble.empty()));
    assertThat(OpenRouterFilter.NONE.withEnvironment(Map.of("OPENROUTER_MAX_COST_PER_TOKEN", "0")))
        .isEqualTo(new OpenRouterFilter(false, false, OptionalDouble.of(0)));
    assertThat(OpenRouterFilter.NONE.withEnvironment(Map.of("OPENROUTER_SHOW_FREE_ONLY", "off")))
        .isEqualTo(OpenRouterFilter.NONE);
  }

  @Test
  void environment_badValues_refusedNamingTheVariable() {
    assertThatThrownBy(
            () ->
                OpenRouterFilter.NONE.withEnvironment(Map.of("OPENROUTER_SHOW_FREE_ONLY", "maybe")))
        .hasMessage(
            "OPENROUTER_SHOW_FREE_ONLY: must be true or false (or 1/0, yes/no, on/off), was"
                + " 'maybe'");
    assertThatThrownBy(
            () ->
                OpenRouterFilter.NONE.withEnvironment(
                    Map.of("OPENROUTER_MAX_COST_PER_TOKEN", "cheap")))
        .hasMessage(
            "OPENROUTER_MAX_COST_PER_TOKEN: must be a decimal number of USD per token, was 'cheap'");
    assertThatThrownBy(
            () ->
                OpenRouterFilter.NONE.withEnvironment(
                    Map.of("OPENROUTER_MAX_COST_PER_TOKEN", "-1")))
        .hasMessage("OPENROUTER_MAX_COST_PER_TOKEN: must be at least 0, was '-1'");
  }
}
