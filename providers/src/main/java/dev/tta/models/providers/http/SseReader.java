package dev.tta.models.providers.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a {@code text/event-stream} body into events, following the framing rules of the SSE
 * specification: lines end with LF, CRLF or CR; a line starting with a colon is a comment
 * (OpenRouter sends {@code : OPENROUTER PROCESSING} while it waits); a field's value follows the
 * first colon with one leading space removed; a blank line ends an event. Two departures, both
 * tolerant: fields the specification does not define are kept rather than dropped (see {@link
 * SseEvent}), and an event that the stream ends without a closing blank line is still delivered.
 */
public final class SseReader {

  private final EventSizeLimit limit;
  private final BufferedReader lines;

  public SseReader(InputStream body) {
    this.limit = new EventSizeLimit(new InputStreamReader(body, StandardCharsets.UTF_8));
    this.lines = new BufferedReader(limit);
  }

  /**
   * Blocks until the next event is complete.
   *
   * @return the next event, or empty at the end of the stream
   * @throws OversizedAnswerException when the event is larger than {@link HttpReply#MAX_HELD_BYTES}
   */
  public Optional<SseEvent> next() throws IOException {
    limit.nextEvent();
    String type = "";
    StringBuilder data = null;
    Map<String, String> other = new HashMap<>();
    boolean any = false;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.isEmpty()) {
        if (any) {
          break;
        }
        continue;
      }
      String[] fieldAndValue = line.split(":", 2);
      String value = fieldAndValue.length == 1 ? "" : stripOneSpace(fieldAndValue[1]);
      switch (fieldAndValue[0]) {
        case "" -> {
          // a comment: the line starts with a colon
          continue;
        }
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> type = value;
        case "id", "retry" -> {
          // reconnection fields: these clients never reconnect a stream
        }
        default -> other.put(fieldAndValue[0], value);
      }
      any = true;
    }
    if (!any) {
      return Optional.empty();
    }
    return Optional.of(new SseEvent(type, data == null ? "" : data.toString(), other));
  }

  private static String stripOneSpace(String value) {
    return value.startsWith(" ") ? value.substring(1) : value;
  }
}
