package dev.tta.models.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * One request a {@link FaultyUpstream} received, and what became of it: the evidence a fault test
 * asserts on (how many attempts an upstream saw and when, what the client sent, how far the answer
 * got and who ended the exchange). A snapshot: {@link FaultyUpstream#requests()} returns new ones
 * as exchanges progress.
 *
 * @param number 1 for the upstream's first request, in the order of arrival
 * @param connection 1 for the upstream's first connection, in the order they were accepted; equal
 *     numbers mean the client reused a connection
 * @param arrival when the request was read in full, from the upstream's clock
 * @param arrivalNanos the upstream clock's ticker then, for measuring intervals
 * @param method the request method, such as {@code POST}
 * @param path the request target, query included
 * @param headers every header with its name in lower case, values in the order sent
 * @param body the body as text (UTF-8), de-chunked
 * @param fault what the upstream did to a chat request: the one drawn from its script, or the HTTP
 *     error it answered in place of the model (a bad body, an unknown model, a refused prefix);
 *     empty for other requests
 * @param tokensSent content tokens written (for a JSON answer: all of them once its body went out
 *     whole, else none)
 * @param bodyBytesSent bytes written after the response head, chunk framing included
 * @param ending how the exchange ended; empty while it goes on
 */
public record ReceivedRequest(
    int number,
    long connection,
    Instant arrival,
    long arrivalNanos,
    String method,
    String path,
    SequencedMap<String, List<String>> headers,
    String body,
    Optional<Fault> fault,
    int tokensSent,
    long bodyBytesSent,
    Optional<Ending> ending) {

  /** How an exchange ended. */
  public enum How {
    /** Everything the upstream meant to send was sent (an error, a faulty stream included). */
    COMPLETED,
    /** The upstream closed the connection as its fault said. */
    CUT,
    /** The client closed the connection before the upstream had finished (or while it held it). */
    CLOSED_BY_CLIENT,
    /** The upstream was closed or taken down while the exchange went on. */
    STOPPED
  }

  /**
   * How and when an exchange ended.
   *
   * @param at from the upstream's clock
   * @param atNanos the upstream clock's ticker then
   */
  public record Ending(How how, Instant at, long atNanos) {

    public Ending {
      Objects.requireNonNull(how, "how");
      Objects.requireNonNull(at, "at");
    }
  }

  public ReceivedRequest {
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    SequencedMap<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableSequencedMap(copy);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(ending, "ending");
  }

  /** The first value of a header, by its name in any case. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)))
        .flatMap(values -> values.stream().findFirst());
  }

  /** Whether this is a {@code POST /v1/chat/completions}. */
  public boolean isChat() {
    return method.equals("POST") && pathOf(path).equals(FaultyUpstream.CHAT_PATH);
  }

  /** The body parsed as JSON, a fresh copy; a missing node when it is not JSON. */
  public JsonNode json() {
    return OpenAiJson.parse(body);
  }

  /** A chat body's messages; empty when it has none. */
  public List<Message> messages() {
    return Message.listFrom(json().path("messages"));
  }

  /** Whether a chat body asked for a stream. */
  public boolean streamed() {
    return json().path("stream").asBoolean(false);
  }

  /** The {@code model} a chat body asked for; empty when it named none. */
  public Optional<String> model() {
    JsonNode model = json().path("model");
    return model.isTextual() ? Optional.of(model.asText()) : Optional.empty();
  }

  /** A request target without its query. */
  static String pathOf(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  ReceivedRequest ended(int tokens, long bodyBytes, Ending end) {
    return new ReceivedRequest(
        number,
        connection,
        arrival,
        arrivalNanos,
        method,
        path,
        headers,
        body,
        fault,
        tokens,
        bodyBytes,
        Optional.of(end));
  }

  /** Shorter than the record's text, for failure messages that list many requests. */
  String summary() {
    return "#"
        + number
        + " "
        + method
        + " "
        + path
        + " on connection "
        + connection
        + fault.map(f -> " " + f).orElse("")
        + ending.map(e -> " " + e.how()).orElse(" (going on)");
  }
}
