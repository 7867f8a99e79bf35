package dev.tta.models.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.provider.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeploymentFaultsTest {

  @Test
  void classes_areTheFourDeploymentAttributableOnes() {
    assertThat(DeploymentFaults.CLASSES)
        .containsExactlyInAnyOrder(
            ErrorClass.UNAVAILABLE,
            ErrorClass.TIMEOUT,
            ErrorClass.RATE_LIMITED,
            ErrorClass.MODEL_NOT_FOUND);
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {"UNAVAILABLE", "TIMEOUT", "RATE_LIMITED", "MODEL_NOT_FOUND"})
  void attributable_deploymentFault_isTrue(ErrorClass error) {
    assertThat(DeploymentFaults.attributable(error)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {
        "AUTHENTICATION",
        "CONTEXT_LENGTH_EXCEEDED",
        "CONTENT_FILTERED",
        "INVALID_REQUEST",
        "CANCELLED"
      })
  void attributable_requestOrProviderProblem_isFalse(ErrorClass error) {
    assertThat(DeploymentFaults.attributable(error)).isFalse();
  }
}
