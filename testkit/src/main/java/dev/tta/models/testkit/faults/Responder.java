package dev.tta.models.testkit.faults;

import dev.tta.models.testkit.faults.Fault.AfterMalformed;
import dev.tta.models.testkit.faults.Fault.Answer;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Writes one response on a connection as a fault says, and counts what went out. Every fault that
 * shapes a model's output has its streamed and its JSON form side by side here, so that one place
 * answers "what exactly does the client receive".
 */
final class Responder {

  /**
   * What the model says to one chat request.
   *
   * @param reply the names its JSON shares
   * @param tokens the content tokens, in order
   * @param finishReason {@code stop}, or {@code length} when {@code max_tokens} cut the tokens
   * @param promptTokens the prompt's count
   * @param stream whether the client asked for a stream
   * @param streamUsage whether it asked for usage at the end of the stream
   */
  record Generation(
      OpenAiJson.Reply reply,
      List<String> tokens,
      String finishReason,
      int promptTokens,
      boolean stream,
      boolean streamUsage) {

    String text() {
      return String.join("", tokens);
    }

    String completion(String finish) {
      return reply.completion(text(), finish, promptTokens, tokens.size());
    }
  }

  /** What an exchange came to, short of its time. */
  record Outcome(How how, int tokensSent, long bodyBytes) {}

  private static final SequencedMap<String, String> NO_HEADERS =
      Collections.unmodifiableSequencedMap(new LinkedHashMap<>());

  static final String DONE = "data: [DONE]\n\n";
  static final String MALFORMED = "data: {\"choices\":[{\"delta\":{\"content\":\n\n";

  /** What a {@link Fault.Flood} sends over and over: about 64 KiB of text, no line break. */
  private static final String FLOOD = "flood ".repeat(64 * 1024 / 6);

  private final HttpConnection connection;
  private final boolean closeAfter;
  private int tokensSent;

  /**
   * @param closeAfter whether the client asked to close the connection after this exchange, so that
   *     every head says {@code Connection: close}
   */
  Responder(HttpConnection connection, boolean closeAfter) {
    this.connection = connection;
    this.closeAfter = closeAfter;
  }

  /**
   * Performs the fault. {@code generation} is what the model says; only {@link Fault.Status},
   * {@link Fault.ResetBeforeHead} and {@link Fault.NoResponse}, which answer without the model, may
   * go without one.
   */
  Outcome perform(Fault fault, Generation generation) {
    try {
      How how = act(fault, generation);
      return new Outcome(how, tokensSent, connection.bodyBytes());
    } catch (IOException e) {
      How how = connection.stopped() ? How.STOPPED : How.CLOSED_BY_CLIENT;
      return new Outcome(how, tokensSent, connection.bodyBytes());
    }
  }

  private How act(Fault fault, Generation generation) throws IOException {
    return switch (fault) {
      case Fault.Status status -> {
        writeWhole(status.code(), status.headers(), status.body());
        yield How.COMPLETED;
      }
      case Fault.ResetBeforeHead reset -> {
        connection.cut(Cut.RESET);
        yield How.CUT;
      }
      case Fault.NoResponse none -> {
        connection.holdUntilClientCloses();
        yield How.CLOSED_BY_CLIENT;
      }
      case Answer answer -> {
        if (generation.stream()) {
          open(generation, answer);
          tokens(generation, 0, generation.tokens().size(), answer.betweenTokens());
          finish(generation, true);
        } else {
          connection.pause(
              answer
                  .beforeHead()
                  .plus(answer.beforeFirstToken())
                  .plus(
                      answer
                          .betweenTokens()
                          .multipliedBy(Math.max(0, generation.tokens().size() - 1))));
          writeJson(generation, generation.finishReason());
        }
        yield How.COMPLETED;
      }
      case Fault.StreamCut cut ->
          generation.stream()
              ? cutStream(generation, cut.afterTokens(), cut.cut())
              : cutBody(generation, cut.cut());
      case Fault.BodyCut cut ->
          generation.stream()
              ? cutStream(generation, generation.tokens().size() / 2, cut.cut())
              : cutBody(generation, cut.cut());
      case Fault.StreamStall stall -> {
        if (generation.stream()) {
          open(generation, Fault.answer());
          tokens(
              generation,
              0,
              Math.min(stall.afterTokens(), generation.tokens().size()),
              Duration.ZERO);
        } else {
          writeHalfBody(generation);
        }
        connection.holdUntilClientCloses();
        yield How.CLOSED_BY_CLIENT;
      }
      case Fault.MalformedChunk malformed -> {
        if (!generation.stream()) {
          String body = generation.completion(generation.finishReason());
          writeWhole(200, NO_HEADERS, body.substring(0, body.length() / 2));
          yield How.COMPLETED;
        }
        int before = Math.min(malformed.afterTokens(), generation.tokens().size());
        open(generation, Fault.answer());
        tokens(generation, 0, before, Duration.ZERO);
        connection.writeChunk(MALFORMED);
        if (malformed.then() == AfterMalformed.CLOSE) {
          connection.cut(Cut.FIN);
          yield How.CUT;
        }
        tokens(generation, before, generation.tokens().size(), Duration.ZERO);
        finish(generation, true);
        yield How.COMPLETED;
      }
      case Fault.ErrorInStream error -> {
        String object = OpenAiJson.streamError(error.message());
        if (generation.stream()) {
          open(generation, Fault.answer());
          tokens(
              generation,
              0,
              Math.min(error.afterTokens(), generation.tokens().size()),
              Duration.ZERO);
          connection.writeChunk(event(object));
          connection.writeChunk(DONE);
          connection.endChunks();
        } else {
          writeWhole(200, NO_HEADERS, object);
        }
        yield How.COMPLETED;
      }
      case Fault.MissingDone missing -> {
        if (generation.stream()) {
          open(generation, Fault.answer());
          tokens(generation, 0, generation.tokens().size(), Duration.ZERO);
          finish(generation, false);
        } else {
          writeJson(generation, generation.finishReason());
        }
        yield How.COMPLETED;
      }
      case Fault.Flood flood -> {
        if (generation.stream()) {
          open(generation, Fault.answer());
          connection.writeChunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
        } else {
          SequencedMap<String, String> headers = new LinkedHashMap<>();
          headers.put("Content-Type", "application/json");
          headers.put("Transfer-Encoding", "chunked");
          connection.writeHead(200, withClose(headers));
          connection.writeChunk(
              "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                  + "\"message\":{\"role\":\"assistant\",\"content\":\"");
        }
        while (true) {
          // ends with the exception of a write to a connection the client closed
          connection.writeChunk(FLOOD);
        }
      }
      case Fault.NoFinishReason noFinish -> {
        if (generation.stream()) {
          open(generation, Fault.answer());
          tokens(generation, 0, generation.tokens().size(), Duration.ZERO);
          connection.writeChunk(DONE);
          connection.endChunks();
        } else {
          writeJson(generation, null);
        }
        yield How.COMPLETED;
      }
    };
  }

  /** After its pause, the stream's head and role chunk, then the pause before the first token. */
  private void open(Generation generation, Answer pace) throws IOException {
    connection.pause(pace.beforeHead());
    SequencedMap<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/event-stream");
    headers.put("Cache-Control", "no-cache");
    headers.put("Transfer-Encoding", "chunked");
    connection.writeHead(200, withClose(headers));
    connection.writeChunk(event(generation.reply().roleChunk()));
    connection.pause(pace.beforeFirstToken());
  }

  /**
   * Content chunks {@code from} to {@code to} (exclusive), each but the answer's first after a
   * pause.
   */
  private void tokens(Generation generation, int from, int to, Duration between)
      throws IOException {
    for (int i = from; i < to; i++) {
      if (i > 0) {
        connection.pause(between);
      }
      connection.writeChunk(event(generation.reply().contentChunk(generation.tokens().get(i))));
      tokensSent++;
    }
  }

  /**
   * The finish chunk, the usage chunk when asked for, {@code [DONE]} when {@code done}, the end.
   */
  private void finish(Generation generation, boolean done) throws IOException {
    connection.writeChunk(event(generation.reply().finishChunk(generation.finishReason())));
    if (generation.streamUsage()) {
      connection.writeChunk(
          event(generation.reply().usageChunk(generation.promptTokens(), tokensSent)));
    }
    if (done) {
      connection.writeChunk(DONE);
    }
    connection.endChunks();
  }

  private How cutStream(Generation generation, int afterTokens, Cut cut) throws IOException {
    open(generation, Fault.answer());
    tokens(generation, 0, Math.min(afterTokens, generation.tokens().size()), Duration.ZERO);
    connection.cut(cut);
    return How.CUT;
  }

  private How cutBody(Generation generation, Cut cut) throws IOException {
    writeHalfBody(generation);
    connection.cut(cut);
    return How.CUT;
  }

  private void writeJson(Generation generation, String finishReason) throws IOException {
    writeWhole(200, NO_HEADERS, generation.completion(finishReason));
    tokensSent = generation.tokens().size();
  }

  /** A JSON answer's head with its full {@code Content-Length}, then half its body. */
  private void writeHalfBody(Generation generation) throws IOException {
    byte[] body = generation.completion(generation.finishReason()).getBytes(StandardCharsets.UTF_8);
    writeJsonHead(200, NO_HEADERS, body.length);
    connection.writeBody(Arrays.copyOf(body, body.length / 2));
  }

  /** A JSON head and the body, whole. */
  private void writeWhole(int status, SequencedMap<String, String> extra, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    writeJsonHead(status, extra, body.length);
    connection.writeBody(body);
  }

  /** {@code Content-Type: application/json}, the extra headers, {@code Content-Length}. */
  private void writeJsonHead(int status, SequencedMap<String, String> extra, int length)
      throws IOException {
    SequencedMap<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.putAll(extra);
    headers.put("Content-Length", Integer.toString(length));
    connection.writeHead(status, withClose(headers));
  }

  private SequencedMap<String, String> withClose(SequencedMap<String, String> headers) {
    if (closeAfter) {
      headers.put("Connection", "close");
    }
    return headers;
  }

  static String event(String data) {
    return "data: " + data + "\n\n";
  }
}
