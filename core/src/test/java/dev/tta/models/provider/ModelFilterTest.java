package dev.tta.models.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelFilterTest {

  private static ModelInfo.Builder model() {
    return ModelInfo.builder(ProviderId.of("openrouter"), ProviderType.OPENROUTER, "m");
  }

  private static final ModelInfo FREE = model().free(true).capabilities("chat").build();
  private static final ModelInfo ZERO_COST_NOT_FREE = model().build();
  // input 0.000001, output 0.000003: effective price max = 0.000003
  private static final ModelInfo PAID =
      model().costPerToken(0.000001, 0.000003).capabilities("chat", "tools").build();

  @Test
  void all_acceptsEveryModel() {
    assertThat(ModelFilter.ALL.freeOnly()).isFalse();
    assertThat(ModelFilter.ALL.maxCostPerToken()).isEmpty();
    assertThat(ModelFilter.ALL.requiredCapabilities()).isEmpty();
    assertThat(ModelFilter.ALL.accepts(FREE)).isTrue();
    assertThat(ModelFilter.ALL.accepts(PAID)).isTrue();
    assertThat(ModelFilter.ALL.accepts(ZERO_COST_NOT_FREE)).isTrue();
  }

  @Test
  void onlyFree_acceptsOnlyModelsMarkedFree() {
    ModelFilter filter = ModelFilter.onlyFree();

    assertThat(filter.freeOnly()).isTrue();
    assertThat(filter.accepts(FREE)).isTrue();
    assertThat(filter.accepts(PAID)).isFalse();
    // zero cost but not marked free by the provider
    assertThat(filter.accepts(ZERO_COST_NOT_FREE)).isFalse();
  }

  @Test
  void maxCost_ceilingExactlyAtTheEffectivePriceAccepts() {
    assertThat(ModelFilter.maxCost(0.000003).accepts(PAID)).isTrue();
  }

  @Test
  void maxCost_ceilingJustBelowTheEffectivePriceRefuses() {
    assertThat(ModelFilter.maxCost(0.0000029).accepts(PAID)).isFalse();
  }

  @Test
  void maxCost_usesTheHigherPriceNotTheInputPrice() {
    // input 0.000001 is under the ceiling 0.000002, output 0.000003 is over it
    assertThat(ModelFilter.maxCost(0.000002).accepts(PAID)).isFalse();
  }

  @Test
  void maxCost_zeroCeilingAcceptsZeroCostModels() {
    ModelFilter filter = ModelFilter.maxCost(0);

    assertThat(filter.maxCostPerToken()).hasValue(0.0);
    assertThat(filter.accepts(FREE)).isTrue();
    assertThat(filter.accepts(ZERO_COST_NOT_FREE)).isTrue();
    assertThat(filter.accepts(PAID)).isFalse();
  }

  @Test
  void capabilities_modelMustHaveAllNormalisedOnes() {
    ModelFilter chatAndTools =
        new ModelFilter(false, OptionalDouble.empty(), Set.of(" Tools", "CHAT"));

    assertThat(chatAndTools.requiredCapabilities()).containsExactly("chat", "tools");
    assertThat(chatAndTools.accepts(PAID)).isTrue();
    assertThat(chatAndTools.accepts(FREE)).isFalse();
  }

  @Test
  void allRulesTogether() {
    ModelFilter filter = new ModelFilter(true, OptionalDouble.of(0.000001), Set.of("chat"));

    assertThat(filter.accepts(FREE)).isTrue();
    assertThat(filter.accepts(ZERO_COST_NOT_FREE)).isFalse();
    assertThat(filter.accepts(PAID)).isFalse();
  }

  @Test
  void rules() {
    assertThatThrownBy(() -> ModelFilter.maxCost(-0.000001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_cost_per_token: must be a finite number of at least 0, was -1.0E-6");
    assertThatThrownBy(() -> new ModelFilter(false, null, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_cost_per_token: is required");
    assertThatThrownBy(() -> new ModelFilter(false, OptionalDouble.empty(), Set.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capabilities: must not contain a blank entry");
    assertThatThrownBy(() -> new ModelFilter(false, OptionalDouble.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capabilities: is required");
  }
}
