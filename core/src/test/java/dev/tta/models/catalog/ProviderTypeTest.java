package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProviderTypeTest {

  @Test
  void builtIns_namesAndLocalFlags() {
    assertThat(ProviderType.LOCAL).isEqualTo(new ProviderType("local", true));
    assertThat(ProviderType.OLLAMA).isEqualTo(new ProviderType("ollama", true));
    assertThat(ProviderType.LM_STUDIO).isEqualTo(new ProviderType("lm_studio", true));
    assertThat(ProviderType.OPENROUTER).isEqualTo(new ProviderType("openrouter", false));
    assertThat(ProviderType.CUSTOM_API).isEqualTo(new ProviderType("custom_api", false));
    assertThat(ProviderType.ANTHROPIC).isEqualTo(new ProviderType("anthropic", false));
  }

  @Test
  void builtIn_listInDocumentationOrder() {
    assertThat(ProviderType.BUILT_IN)
        .containsExactly(
            ProviderType.LOCAL,
            ProviderType.OPENROUTER,
            ProviderType.OLLAMA,
            ProviderType.LM_STUDIO,
            ProviderType.CUSTOM_API,
            ProviderType.ANTHROPIC);
  }

  @Test
  void builtIn_lookupIgnoresCaseAndSurroundingSpace() {
    assertThat(ProviderType.builtIn("ollama")).containsSame(ProviderType.OLLAMA);
    assertThat(ProviderType.builtIn("OpenRouter")).containsSame(ProviderType.OPENROUTER);
    assertThat(ProviderType.builtIn("  LM_STUDIO ")).containsSame(ProviderType.LM_STUDIO);
    assertThat(ProviderType.builtIn("anthropic")).containsSame(ProviderType.ANTHROPIC);
  }

  @Test
  void builtIn_unknownOrMissingNameIsEmpty() {
    assertThat(ProviderType.builtIn("vllm")).isEmpty();
    assertThat(ProviderType.builtIn("lm-studio")).isEmpty();
    assertThat(ProviderType.builtIn("")).isEmpty();
    assertThat(ProviderType.builtIn(null)).isEmpty();
  }

  @Test
  void constructor_nameTrimmedAndLowerCased() {
    ProviderType type = new ProviderType("  VLLM ", true);

    assertThat(type.name()).isEqualTo("vllm");
    assertThat(type.local()).isTrue();
    assertThat(new ProviderType(" Ollama", true)).isEqualTo(ProviderType.OLLAMA);
  }

  @Test
  void constructor_blankNameRefused() {
    assertThatThrownBy(() -> new ProviderType(" ", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider type: must not be blank");
    assertThatThrownBy(() -> new ProviderType(null, false))
        .hasMessage("provider type: must not be blank");
  }

  @Test
  void toString_theName() {
    assertThat(ProviderType.LM_STUDIO).hasToString("lm_studio");
  }
}
