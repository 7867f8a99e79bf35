package dev.tta.models.testkit.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded HTTP response: status, headers and the body bytes, which a {@link ReplayPeer} sends
 * back unchanged.
 *
 * @param status the HTTP status
 * @param headers the headers in recorded order
 * @param body the body bytes
 */
public record RecordedResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  public RecordedResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: must be 100-599, was " + status);
    }
    headers = List.copyOf(headers);
    body = body.clone();
  }

  /** A response with one content type and a body, for recordings that kept only the body. */
  public static RecordedResponse of(int status, String contentType, byte[] body) {
    return new RecordedResponse(status, List.of(Map.entry("Content-Type", contentType)), body);
  }

  /**
   * Parses a raw response as {@code curl -i} writes it: status line and headers with CRLF line
   * ends, a blank line, then the body, everything after the first {@code CRLF CRLF} taken as is.
   *
   * @throws IllegalArgumentException when the text has no status line or no end of head
   */
  public static RecordedResponse parseHttp(byte[] raw) {
    int headEnd = indexOf(raw, HEAD_END);
    if (headEnd < 0) {
      throw new IllegalArgumentException("raw response: no blank line ends the head");
    }
    String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
      throw new IllegalArgumentException("raw response: bad status line '" + lines[0] + "'");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
      }
    }
    return new RecordedResponse(
        Integer.parseInt(statusLine[1]),
        headers,
        Arrays.copyOfRange(raw, headEnd + HEAD_END.length, raw.length));
  }

  /** The first value of a header, matched case-insensitively. */
  public Optional<String> header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public boolean isEventStream() {
    return header("Content-Type")
        .map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
        .orElse(false);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedResponse r
        && r.status == status
        && r.headers.equals(headers)
        && Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "RecordedResponse[" + status + ", " + body.length + " bytes]";
  }
}
