package dev.tta.models.testkit.replay;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded exchange: the request that was sent (where it was recorded) and the response to
 * replay.
 *
 * @param name the recording's name, for test names and messages
 * @param method the method the response is served for
 * @param path the path the response is served at
 * @param request the recorded request, when there is one: what a client should send
 * @param response what the peer sends back
 */
public record Exchange(
    String name,
    String method,
    String path,
    Optional<RecordedRequest> request,
    RecordedResponse response) {

  public Exchange {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
  }

  /** An exchange served at a path, with no recorded request. */
  public static Exchange of(String name, String method, String path, RecordedResponse response) {
    return new Exchange(name, method, path, Optional.empty(), response);
  }

  /** The same response served at another method and path (an error payload on the chat path). */
  public Exchange servedAt(String method, String path) {
    return new Exchange(name, method, path, request, response);
  }

  /** The same exchange, with the body a client should send (recordings that kept only bodies). */
  public Exchange withRequestBody(byte[] body) {
    return new Exchange(
        name,
        method,
        path,
        Optional.of(new RecordedRequest(method, path, Map.of(), body)),
        response);
  }

  @Override
  public String toString() {
    return name + " (" + method + " " + path + " -> " + response.status() + ")";
  }
}
