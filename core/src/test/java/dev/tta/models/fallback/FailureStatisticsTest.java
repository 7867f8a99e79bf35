package dev.tta.models.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailureStatisticsTest {

  private static final ModelKey B = ModelKey.of("openai", "b");
  private static final ModelKey A = ModelKey.of("anthropic", "a");

  @Test
  void constructor_sortsEveryCollection() {
    FailureStatistics statistics =
        new FailureStatistics(
            3,
            Map.of(B, 2L, A, 1L),
            Map.of(ProviderId.of("openai"), 2L, ProviderId.of("anthropic"), 1L),
            Map.of(ErrorClass.CANCELLED, 1L, ErrorClass.AUTHENTICATION, 2L),
            Set.of(B, A),
            Map.of(ProviderId.of("openai"), "x", ProviderId.of("anthropic"), "y"));

    assertThat(statistics.byModel().keySet()).containsExactly(A, B);
    assertThat(statistics.byProvider().keySet())
        .containsExactly(ProviderId.of("anthropic"), ProviderId.of("openai"));
    // declaration order: AUTHENTICATION comes before CANCELLED
    assertThat(statistics.byErrorClass().keySet())
        .containsExactly(ErrorClass.AUTHENTICATION, ErrorClass.CANCELLED);
    assertThat(statistics.excludedModels()).containsExactly(A, B);
    assertThat(statistics.providersOut().keySet())
        .containsExactly(ProviderId.of("anthropic"), ProviderId.of("openai"));
  }

  @Test
  void constructor_negativeTotal_isRejected() {
    assertThatThrownBy(
            () -> new FailureStatistics(-1, Map.of(), Map.of(), Map.of(), Set.of(), Map.of()))
        .hasMessage("total_failures: must not be negative, was -1");
  }

  @Test
  void constructor_missingCollection_isRejected() {
    assertThatThrownBy(() -> new FailureStatistics(0, null, Map.of(), Map.of(), Set.of(), Map.of()))
        .hasMessage("by_model: is required");
    assertThatThrownBy(() -> new FailureStatistics(0, Map.of(), null, Map.of(), Set.of(), Map.of()))
        .hasMessage("by_provider: is required");
    assertThatThrownBy(() -> new FailureStatistics(0, Map.of(), Map.of(), null, Set.of(), Map.of()))
        .hasMessage("by_error_class: is required");
    assertThatThrownBy(() -> new FailureStatistics(0, Map.of(), Map.of(), Map.of(), null, Map.of()))
        .hasMessage("excluded_models: is required");
    assertThatThrownBy(() -> new FailureStatistics(0, Map.of(), Map.of(), Map.of(), Set.of(), null))
        .hasMessage("providers_out: is required");
  }

  @Test
  void collections_areUnmodifiable() {
    FailureStatistics statistics =
        new FailureStatistics(0, Map.of(), Map.of(), Map.of(), Set.of(), Map.of());

    assertThatThrownBy(() -> statistics.byErrorClass().put(ErrorClass.TIMEOUT, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
