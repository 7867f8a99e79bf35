package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the SSE framing of every streamed answer from an OpenAI-compatible server.
 *
 * <p>Property: for any bytes, {@link SseReader} ends (an in-memory body never raises its only
 * documented error, {@link IOException}), stays ended, and yields exactly the events that a second,
 * independently written reading of the framing rules in its javadoc yields (lines split by LF, CRLF
 * or CR, comments skipped, one leading space removed, blank lines ending events). So no event is
 * invented or lost, and what it holds never outgrows the input.
 */
class SseReaderFuzzTest {

  @FuzzTest
  void sseFraming(byte[] body) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(body));
    List<SseEvent> events = new ArrayList<>();
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      events.add(e.get());
      assertThat(events)
          .as("events from %d bytes", body.length)
          .hasSizeLessThanOrEqualTo(body.length);
    }
    assertThat(reader.next()).as("after the end").isEmpty();

    assertThat(events).isEqualTo(expectedEvents(new String(body, StandardCharsets.UTF_8)));
  }

  /** The framing rules, read from the decoded text as a whole rather than line by line. */
  static List<SseEvent> expectedEvents(String text) {
    List<SseEvent> events = new ArrayList<>();
    String type = "";
    StringBuilder data = null;
    Map<String, String> other = new HashMap<>();
    boolean open = false;
    for (String line : lines(text)) {
      if (line.isEmpty()) {
        if (open) {
          events.add(new SseEvent(type, data == null ? "" : data.toString(), other));
          type = "";
          data = null;
          other = new HashMap<>();
          open = false;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon == 0) {
        continue;
      }
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      } else if (field.equals("event")) {
        type = value;
      } else if (!field.equals("id") && !field.equals("retry")) {
        other.put(field, value);
      }
      open = true;
    }
    if (open) {
      events.add(new SseEvent(type, data == null ? "" : data.toString(), other));
    }
    return events;
  }

  /** Lines ended by CRLF, LF or CR; a last line without an end counts when it is not empty. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }
}
