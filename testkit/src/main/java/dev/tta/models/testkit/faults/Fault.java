package dev.tta.models.testkit.faults;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * How a {@link FaultyUpstream} answers one chat request: normally, or in one of the ways a real LLM
 * server misbehaves. Each is a record whose components are its parameters, so that a test reads as
 * the script of what the upstream does and a recorded request says what was done to it.
 *
 * <p>"After N tokens" means after the role chunk and N content chunks (all of them when the answer
 * has fewer), before the {@code finish_reason} chunk. Faults that shape a stream also apply to a
 * request that did not ask for one, as said on each; those that answer without the model ({@link
 * Status}, {@link ResetBeforeHead}, {@link NoResponse}) apply to both alike.
 */
public sealed interface Fault {

  /** How the upstream closes a connection it cuts. */
  enum Cut {
    /** A normal close: the client reads an end of stream. */
    FIN,
    /** A close with {@code SO_LINGER} 0: the client sees the connection reset. */
    RESET
  }

  /** What a stream does after its {@link MalformedChunk}. */
  enum AfterMalformed {
    /** The remaining tokens, the finish, usage and {@code [DONE]} follow as if nothing happened. */
    CONTINUE,
    /** The connection is closed ({@link Cut#FIN}) right after it. */
    CLOSE
  }

  /**
   * The model's answer, optionally slow. A stream's head and role chunk go out after {@code
   * beforeHead}; the first content chunk {@code beforeFirstToken} later (after the finish chunk's
   * place when there are no tokens), each further one {@code betweenTokens} after the one before. A
   * JSON answer goes out whole once all of these have passed, like a server that generates before
   * it answers. The delays are real time; a client that closes meanwhile is seen at once.
   */
  record Answer(Duration beforeHead, Duration beforeFirstToken, Duration betweenTokens)
      implements Fault {

    public Answer {
      requireNotNegative(beforeHead, "beforeHead");
      requireNotNegative(beforeFirstToken, "beforeFirstToken");
      requireNotNegative(betweenTokens, "betweenTokens");
    }

    public Answer delayHead(Duration delay) {
      return new Answer(delay, beforeFirstToken, betweenTokens);
    }

    public Answer delayFirstToken(Duration delay) {
      return new Answer(beforeHead, delay, betweenTokens);
    }

    public Answer delayBetweenTokens(Duration delay) {
      return new Answer(beforeHead, beforeFirstToken, delay);
    }
  }

  /**
   * An HTTP error: this status, these headers (in order, after {@code Content-Type:
   * application/json} and before {@code Content-Length}), this body; the connection stays open.
   */
  record Status(int code, SequencedMap<String, String> headers, String body) implements Fault {

    public Status {
      if (code < 200 || code > 599) {
        throw new IllegalArgumentException("code: must be 200 to 599, was " + code);
      }
      headers = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(headers));
      Objects.requireNonNull(body, "body");
    }

    public Status withHeader(String name, String value) {
      SequencedMap<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Status(code, more, body);
    }
  }

  /** Read the request, then reset the connection before any byte of a response. */
  record ResetBeforeHead() implements Fault {}

  /**
   * Read the request, then send nothing and hold the connection until the client closes it (or the
   * upstream is closed or taken down).
   */
  record NoResponse() implements Fault {}

  /**
   * Close the connection after this many tokens, in the middle of the chunked body (no last chunk,
   * no finish, no {@code [DONE]}). A JSON answer is cut as {@link BodyCut} does.
   */
  record StreamCut(int afterTokens, Cut cut) implements Fault {

    public StreamCut {
      requireNotNegative(afterTokens, "afterTokens");
      Objects.requireNonNull(cut, "cut");
    }
  }

  /**
   * Send this many tokens, then nothing more while holding the connection open until the client
   * closes it. A JSON answer stalls after its head and half its body.
   */
  record StreamStall(int afterTokens) implements Fault {

    public StreamStall {
      requireNotNegative(afterTokens, "afterTokens");
    }
  }

  /**
   * After this many tokens, an event whose data is not JSON, {@code data:
   * {"choices":[{"delta":{"content":} and a blank line, then {@code then}. A JSON answer is a 200
   * whose body is the first half of the answer's JSON, with a matching {@code Content-Length}.
   */
  record MalformedChunk(int afterTokens, AfterMalformed then) implements Fault {

    public MalformedChunk {
      requireNotNegative(afterTokens, "afterTokens");
      Objects.requireNonNull(then, "then");
    }
  }

  /**
   * After this many tokens, an error object inside the HTTP 200 stream, as OpenRouter sends one:
   * {@code data: {"error":{"message":MESSAGE,"type":"server_error"}}}, then {@code data: [DONE]}
   * and a clean end of the body. A JSON answer is a 200 whose body is that error object.
   */
  record ErrorInStream(int afterTokens, String message) implements Fault {

    public ErrorInStream {
      requireNotNegative(afterTokens, "afterTokens");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Every chunk including the finish (and usage when asked), then a clean end of the chunked body
   * without {@code data: [DONE]}. A JSON answer, which has no {@code [DONE]}, is normal.
   */
  record MissingDone() implements Fault {}

  /**
   * The role and content chunks, then {@code data: [DONE]} with no {@code finish_reason} chunk (and
   * no usage). A JSON answer has {@code "finish_reason":null}.
   */
  record NoFinishReason() implements Fault {}

  /**
   * A JSON answer's head with its full {@code Content-Length}, then the first half of its body
   * (rounded down), then the connection closed. A streamed answer is cut after half its tokens
   * (rounded down), as {@link StreamCut} does.
   */
  record BodyCut(Cut cut) implements Fault {

    public BodyCut {
      Objects.requireNonNull(cut, "cut");
    }
  }

  /**
   * A 200 that never ends: after the head, the start of an answer (a stream's role chunk and a
   * {@code data:} line; a JSON answer's opening up to its content) and then text without end and
   * without a line break, as fast as the client reads it, until the client closes the connection.
   */
  record Flood() implements Fault {}

  /** The model's answer, at once. */
  static Answer answer() {
    return new Answer(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** The head and role chunk at once, the first token {@code delay} later. */
  static Answer slowFirstToken(Duration delay) {
    return answer().delayFirstToken(delay);
  }

  /** An HTTP error with this status and JSON body, and no extra headers. */
  static Status status(int code, String body) {
    return new Status(code, new LinkedHashMap<>(), body);
  }

  /** HTTP 429 as OpenAI sends it for a rate limit, without {@code Retry-After}. */
  static Status rateLimited() {
    return status(
        429,
        OpenAiJson.error(
            "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1.",
            "requests",
            null,
            "rate_limit_exceeded"));
  }

  /**
   * HTTP 429 as OpenAI sends it for a rate limit, with {@code Retry-After} in whole seconds (the
   * wait rounded up) and the same wait in the message.
   */
  static Status rateLimited(Duration retryAfter) {
    requireNotNegative(retryAfter, "retryAfter");
    long seconds = retryAfter.plusNanos(999_999_999).toSeconds();
    return status(
            429,
            OpenAiJson.error(
                "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1."
                    + " Please try again in "
                    + seconds
                    + "s.",
                "requests",
                null,
                "rate_limit_exceeded"))
        .withHeader("Retry-After", Long.toString(seconds));
  }

  /** HTTP 500 as OpenAI sends it. */
  static Status serverError() {
    return status(
        500,
        OpenAiJson.error(
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            null,
            null));
  }

  /** HTTP 503 as OpenAI sends it when overloaded. */
  static Status overloaded() {
    return status(
        503,
        OpenAiJson.error(
            "The engine is currently overloaded, please try again later.",
            "server_error",
            null,
            null));
  }

  /**
   * HTTP 400 {@code context_length_exceeded} as OpenAI sends it: "This model's maximum context
   * length is {@code maxTokens} tokens. However, your messages resulted in {@code requestedTokens}
   * tokens. Please reduce the length of the messages."
   */
  static Status contextLengthExceeded(int maxTokens, int requestedTokens) {
    return status(
        400,
        OpenAiJson.error(
            "This model's maximum context length is "
                + maxTokens
                + " tokens. However, your messages resulted in "
                + requestedTokens
                + " tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "messages",
            "context_length_exceeded"));
  }

  /** HTTP 400 as OpenAI sends it when its safety system refuses the prompt. */
  static Status contentFiltered() {
    return status(
        400,
        OpenAiJson.error(
            "Your request was rejected as a result of our safety system. Your prompt may contain"
                + " text that is not allowed by our safety system.",
            "invalid_request_error",
            null,
            "content_policy_violation"));
  }

  static ResetBeforeHead resetBeforeHead() {
    return new ResetBeforeHead();
  }

  static NoResponse noResponse() {
    return new NoResponse();
  }

  static StreamCut streamCutAfter(int tokens, Cut cut) {
    return new StreamCut(tokens, cut);
  }

  static StreamStall streamStallAfter(int tokens) {
    return new StreamStall(tokens);
  }

  static MalformedChunk malformedChunkAfter(int tokens, AfterMalformed then) {
    return new MalformedChunk(tokens, then);
  }

  /** An error in the stream with OpenAI's message for an internal error. */
  static ErrorInStream errorInStreamAfter(int tokens) {
    return new ErrorInStream(
        tokens, "The server had an error while processing your request. Sorry about that!");
  }

  static MissingDone missingDone() {
    return new MissingDone();
  }

  static NoFinishReason noFinishReason() {
    return new NoFinishReason();
  }

  static Flood flood() {
    return new Flood();
  }

  static BodyCut bodyCutHalfway(Cut cut) {
    return new BodyCut(cut);
  }

  private static void requireNotNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + ": must not be negative, was " + duration);
    }
  }

  private static void requireNotNegative(int count, String name) {
    if (count < 0) {
      throw new IllegalArgumentException(name + ": must not be negative, was " + count);
    }
  }
}
