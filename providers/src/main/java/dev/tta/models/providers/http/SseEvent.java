package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.util.Map;
import java.util.Optional;

/**
 * One server-sent event: the lines up to a blank line, by field.
 *
 * @param type the {@code event:} field, empty when absent (the SSE default type {@code message})
 * @param data the {@code data:} lines joined by a line feed, empty when absent
 * @param otherFields fields that SSE does not define, by name (the last value wins), kept because
 *     llama.cpp's server reports errors in a stream as a bare {@code error: {...}} line
 */
public record SseEvent(String type, String data, Map<String, String> otherFields) {

  public SseEvent {
    type = Checks.notNull(type, "type");
    data = Checks.notNull(data, "data");
    otherFields = Map.copyOf(Checks.notNull(otherFields, "other_fields"));
  }

  public static SseEvent data(String data) {
    return new SseEvent("", data, Map.of());
  }

  public Optional<String> field(String name) {
    return Optional.ofNullable(otherFields.get(name));
  }
}
