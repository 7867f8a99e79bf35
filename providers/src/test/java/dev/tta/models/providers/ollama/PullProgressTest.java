package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PullProgressTest {

  @Test
  void fraction_ofTheCurrentLayer() {
    assertThat(new PullProgress("pulling a", "a", 400, 100).fraction()).hasValue(0.25);
    assertThat(new PullProgress("pulling a", "a", 400, 400).fraction()).hasValue(1.0);
    // a server that overshoots is shown as done, not beyond
    assertThat(new PullProgress("pulling a", "a", 400, 500).fraction()).hasValue(1.0);
    assertThat(new PullProgress("pulling a", "a", 1, 0).fraction()).hasValue(0.0);
    assertThat(new PullProgress("pulling manifest", "", 0, 0).fraction()).isEmpty();
  }

  @Test
  void succeeded_onlyOnSuccess() {
    assertThat(new PullProgress("success", "", 0, 0).succeeded()).isTrue();
    assertThat(new PullProgress("writing manifest", "", 0, 0).succeeded()).isFalse();
  }
}
