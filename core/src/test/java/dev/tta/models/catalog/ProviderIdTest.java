package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"ollama", "lm_studio", "a", "0", "9router", "my.provider-2", "x_-."})
  void of_acceptsTheShape(String value) {
    assertThat(ProviderId.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ollama", "_x", "-x", ".x", "a b", "a/b", "llama:cpp", "ü"})
  void of_refusesOtherShapesNamingTheValue(String value) {
    assertThatThrownBy(() -> ProviderId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "provider id: must be lower-case letters, digits, '_', '.' or '-' and start with a"
                + " letter or digit, was '"
                + value
                + "'");
  }

  @Test
  void of_blankRefused() {
    assertThatThrownBy(() -> ProviderId.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider id: must not be blank");
    assertThatThrownBy(() -> ProviderId.of(null)).hasMessage("provider id: must not be blank");
  }

  @Test
  void toString_theValue() {
    assertThat(ProviderId.of("openrouter")).hasToString("openrouter");
  }

  @Test
  void compareTo_byValue() {
    assertThat(ProviderId.of("anthropic").compareTo(ProviderId.of("ollama"))).isNegative();
    assertThat(ProviderId.of("ollama").compareTo(ProviderId.of("anthropic"))).isPositive();
    assertThat(ProviderId.of("ollama").compareTo(ProviderId.of("ollama"))).isZero();
  }

  @Test
  void equality_byValue() {
    assertThat(ProviderId.of("ollama")).isEqualTo(new ProviderId("ollama"));
    assertThat(ProviderId.of("ollama")).isNotEqualTo(ProviderId.of("ollama2"));
    assertThat(ProviderId.of("ollama")).isInstanceOf(Serializable.class);
  }
}
