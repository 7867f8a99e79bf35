package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelStatusTest {

  @Test
  void wireName_lowerCaseInOrder() {
    assertThat(Arrays.stream(ModelStatus.values()).map(ModelStatus::wireName))
        .containsExactly("unknown", "available", "loading", "ready", "busy", "error", "offline");
  }
}
