package dev.tta.models.testkit.replay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request: as recorded next to a response, or as a {@link ReplayPeer} received it.
 *
 * @param method the HTTP method
 * @param path the path with its query
 * @param headers header values by lower-case name (the first value of each)
 * @param body the body bytes, empty for none
 */
public record RecordedRequest(
    String method, String path, Map<String, String> headers, byte[] body) {

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /**
   * Parses a raw request: request line and headers with CRLF line ends, a blank line, then the
   * body.
   */
  public static RecordedRequest parseHttp(byte[] raw) {
    int headEnd = RecordedResponse.indexOf(raw, HEAD_END);
    if (headEnd < 0) {
      throw new IllegalArgumentException("raw request: no blank line ends the head");
    }
    String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length < 2) {
      throw new IllegalArgumentException("raw request: bad request line '" + lines[0] + "'");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new RecordedRequest(
        requestLine[0],
        requestLine[1],
        headers,
        Arrays.copyOfRange(raw, headEnd + HEAD_END.length, raw.length));
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedRequest r
        && r.method.equals(method)
        && r.path.equals(path)
        && r.headers.equals(headers)
        && Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes)";
  }
}
