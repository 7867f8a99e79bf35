package dev.tta.models.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a request asks the model to do; the original's eight tasks. */
public enum TaskType {
  NARRATIVE_GENERATION,
  DIALOGUE_GENERATION,
  CHARACTER_DEVELOPMENT,
  THERAPEUTIC_RESPONSE,
  WORLD_BUILDING,
  CHOICE_GENERATION,
  CONSEQUENCE_ANALYSIS,
  GENERAL_CHAT;

  /** The name used in configuration, requests and output: {@code therapeutic_response}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name, case-insensitively, with an error listing the accepted values. */
  public static TaskType fromWireName(String text) {
    String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (TaskType task : values()) {
      if (task.name().equals(wanted)) {
        return task;
      }
    }
    throw new IllegalArgumentException(
        "task_type: must be one of "
            + Arrays.stream(values()).map(TaskType::wireName).collect(Collectors.joining(", "))
            + ", was '"
            + text
            + "'");
  }
}
