package dev.tta.models.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void callOptions_defaultTimeoutIsSixtySeconds() {
    assertThat(CallOptions.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(60));
    assertThat(CallOptions.defaults().timeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void callOptions_withTimeout() {
    assertThat(CallOptions.withTimeout(Duration.ofMillis(1500)).timeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(CallOptions.withTimeout(Duration.ofNanos(1)).timeout())
        .isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void callOptions_timeoutMustBePositive() {
    assertThatThrownBy(() -> CallOptions.withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: must be positive");
    assertThatThrownBy(() -> CallOptions.withTimeout(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: must be positive");
    assertThatThrownBy(() -> CallOptions.withTimeout(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: is required");
  }

  @Test
  void loadOptions_defaults() {
    assertThat(LoadOptions.DEFAULTS.contextLength()).isEmpty();
    assertThat(LoadOptions.DEFAULTS.parameters()).isEmpty();
  }

  @Test
  void loadOptions_contextLengthPositiveWhenSet() {
    assertThat(new LoadOptions(OptionalInt.of(1), Map.of()).contextLength()).hasValue(1);
    assertThatThrownBy(() -> new LoadOptions(OptionalInt.of(0), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context_length: must be greater than 0, was 0");
    assertThatThrownBy(() -> new LoadOptions(null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context_length: is required");
  }

  @Test
  void loadOptions_parametersCopiedAndRequired() {
    Map<String, String> parameters = new HashMap<>(Map.of("threads", "4"));
    LoadOptions options = new LoadOptions(OptionalInt.empty(), parameters);
    parameters.put("gpu_layers", "99");

    assertThat(options.parameters()).containsExactly(Map.entry("threads", "4"));
    assertThatThrownBy(() -> new LoadOptions(OptionalInt.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameters: is required");
  }

  @Test
  void providerHealth_upAndDown() {
    assertThat(ProviderHealth.up("GET /api/tags 200"))
        .isEqualTo(new ProviderHealth(true, "GET /api/tags 200"));
    assertThat(ProviderHealth.down("connection refused"))
        .isEqualTo(new ProviderHealth(false, "connection refused"));
    assertThat(ProviderHealth.up("").detail()).isEmpty();
  }

  @Test
  void providerHealth_detailRequired() {
    assertThatThrownBy(() -> ProviderHealth.down(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detail: is required");
  }
}
