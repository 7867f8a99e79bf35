package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TaskTypeTest {

  private static final String ACCEPTED =
      "narrative_generation, dialogue_generation, character_development, therapeutic_response,"
          + " world_building, choice_generation, consequence_analysis, general_chat";

  @Test
  void wireName_theEightTasksInOrder() {
    assertThat(Arrays.stream(TaskType.values()).map(TaskType::wireName))
        .containsExactly(
            "narrative_generation",
            "dialogue_generation",
            "character_development",
            "therapeutic_response",
            "world_building",
            "choice_generation",
            "consequence_analysis",
            "general_chat");
  }

  @Test
  void fromWireName_everyWireNameParsesBack() {
    for (TaskType task : TaskType.values()) {
      assertThat(TaskType.fromWireName(task.wireName())).isSameAs(task);
    }
  }

  @Test
  void fromWireName_caseHyphensAndSpaceAccepted() {
    assertThat(TaskType.fromWireName("therapeutic-response"))
        .isSameAs(TaskType.THERAPEUTIC_RESPONSE);
    assertThat(TaskType.fromWireName("GENERAL_CHAT")).isSameAs(TaskType.GENERAL_CHAT);
    assertThat(TaskType.fromWireName(" World-Building ")).isSameAs(TaskType.WORLD_BUILDING);
  }

  @Test
  void fromWireName_unknownListsTheEightValues() {
    assertThatThrownBy(() -> TaskType.fromWireName("poetry"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task_type: must be one of " + ACCEPTED + ", was 'poetry'");
  }

  @Test
  void fromWireName_nullOrEmptyRefused() {
    assertThatThrownBy(() -> TaskType.fromWireName(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task_type: must be one of " + ACCEPTED + ", was 'null'");
    assertThatThrownBy(() -> TaskType.fromWireName(""))
        .hasMessage("task_type: must be one of " + ACCEPTED + ", was ''");
  }
}
