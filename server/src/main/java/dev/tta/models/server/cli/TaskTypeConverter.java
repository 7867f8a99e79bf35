package dev.tta.models.server.cli;

import dev.tta.models.catalog.TaskType;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** Reads task types by their wire names ({@code therapeutic_response}). */
final class TaskTypeConverter implements CommandLine.ITypeConverter<TaskType> {

  @Override
  public TaskType convert(String value) {
    try {
      return TaskType.fromWireName(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TaskType.values()).map(TaskType::wireName).iterator();
    }
  }
}
