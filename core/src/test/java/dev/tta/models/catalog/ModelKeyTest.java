package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelKeyTest {

  @Test
  void parse_providerIsBeforeTheFirstSlashAndTheRestIsTheModelId() {
    ModelKey key = ModelKey.parse("openrouter/meta-llama/llama-3.1-8b-instruct:free");

    assertThat(key.provider()).isEqualTo(ProviderId.of("openrouter"));
    assertThat(key.modelId()).isEqualTo("meta-llama/llama-3.1-8b-instruct:free");
  }

  @Test
  void parse_shortestValidKey() {
    ModelKey key = ModelKey.parse("a/b");

    assertThat(key.provider().value()).isEqualTo("a");
    assertThat(key.modelId()).isEqualTo("b");
  }

  @Test
  void parse_emptyOrNullRefused() {
    assertThatThrownBy(() -> ModelKey.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must not be blank");
    assertThatThrownBy(() -> ModelKey.parse(null)).hasMessage("model: must not be blank");
  }

  @Test
  void parse_noSlashRefused() {
    assertThatThrownBy(() -> ModelKey.parse("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must be written provider/model-id, was 'x'");
  }

  @Test
  void parse_nothingBeforeTheSlashRefused() {
    assertThatThrownBy(() -> ModelKey.parse("/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must be written provider/model-id, was '/x'");
  }

  @Test
  void parse_nothingAfterTheSlashRefused() {
    assertThatThrownBy(() -> ModelKey.parse("x/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must be written provider/model-id, was 'x/'");
  }

  @Test
  void parse_providerMustHaveTheProviderIdShape() {
    assertThatThrownBy(() -> ModelKey.parse("OpenRouter/gpt-4o"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "provider id: must be lower-case letters, digits, '_', '.' or '-' and start with a"
                + " letter or digit, was 'OpenRouter'");
  }

  @Test
  void parse_blankModelIdAfterTheSlashRefused() {
    assertThatThrownBy(() -> ModelKey.parse("ollama/ "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model id: must not be blank");
  }

  @Test
  void constructor_rules() {
    assertThatThrownBy(() -> new ModelKey(null, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider: is required");
    assertThatThrownBy(() -> ModelKey.of("ollama", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model id: must not be blank");
    assertThatThrownBy(() -> ModelKey.of("ollama", null)).hasMessage("model id: must not be blank");
  }

  @Test
  void of_sameAsTheConstructor() {
    assertThat(ModelKey.of("ollama", "llama3.1:8b"))
        .isEqualTo(new ModelKey(ProviderId.of("ollama"), "llama3.1:8b"));
  }

  @Test
  void toString_providerSlashModelIdAndParsesBack() {
    ModelKey key = ModelKey.of("llamacpp", "tiny-random");

    assertThat(key).hasToString("llamacpp/tiny-random");
    assertThat(ModelKey.parse(key.toString())).isEqualTo(key);
  }

  @Test
  void compareTo_byProviderThenModelId() {
    ModelKey ollamaB = ModelKey.of("ollama", "b");
    ModelKey ollamaA = ModelKey.of("ollama", "a");
    ModelKey anthropicZ = ModelKey.of("anthropic", "z");

    assertThat(ollamaA.compareTo(ollamaB)).isNegative();
    assertThat(ollamaB.compareTo(ollamaA)).isPositive();
    // the provider decides even when the model id would sort the other way
    assertThat(anthropicZ.compareTo(ollamaA)).isNegative();
    assertThat(ollamaA.compareTo(anthropicZ)).isPositive();
    assertThat(ollamaA.compareTo(ModelKey.of("ollama", "a"))).isZero();

    List<ModelKey> keys = new ArrayList<>(List.of(ollamaB, anthropicZ, ollamaA));
    Collections.sort(keys);
    assertThat(keys).containsExactly(anthropicZ, ollamaA, ollamaB);
  }
}
