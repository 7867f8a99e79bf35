package dev.tta.models.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.faults.Fault.AfterMalformed;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import dev.tta.models.time.ManualTimeSource;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streamed answer and every fault that shapes a stream, read byte for byte on a plain socket.
 * The model answers "Hello brave new world" (tokens "Hello", " brave", " new", " world") to a
 * one-word prompt, at 2026-01-01T00:00:00Z (created 1767225600).
 */
class StreamFaultsTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String STREAM_HEAD =
      "HTTP/1.1 200 OK\r\n"
          + "Content-Type: text/event-stream\r\n"
          + "Cache-Control: no-cache\r\n"
          + "Transfer-Encoding: chunked\r\n"
          + "\r\n";
  static final String STREAM_WITH_USAGE =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
  static final String STREAM =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true}";
  static final String DONE = "data: [DONE]\n\n";
  static final String MALFORMED = "data: {\"choices\":[{\"delta\":{\"content\":\n\n";

  FaultyUpstream upstream;
  RawHttp client;

  @BeforeEach
  void start() throws IOException {
    upstream =
        FaultyUpstream.start(
            FaultyUpstream.config()
                .modelIds("gpt-4o-mini")
                .answer("Hello brave new world")
                .clock(new ManualTimeSource()));
    client = RawHttp.connect(upstream);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    upstream.close();
  }

  /** One chunk's data as a client reads it: {@code data: JSON} and a blank line. */
  static String chunk(String choices, boolean usageNull) {
    return "data: {\"id\":\"chatcmpl-faulty-1\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":["
        + choices
        + "]"
        + (usageNull ? ",\"usage\":null" : "")
        + "}\n\n";
  }

  static String role(boolean usageNull) {
    return chunk(
        "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}",
        usageNull);
  }

  static String token(String text, boolean usageNull) {
    return chunk(
        "{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}", usageNull);
  }

  static String finish(String reason, boolean usageNull) {
    return chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}", usageNull);
  }

  static String usage(int prompt, int completion) {
    return "data: {\"id\":\"chatcmpl-faulty-1\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}\n\n";
  }

  /** Chunks until the last, empty one. */
  List<String> chunksToEnd() throws IOException {
    List<String> chunks = new ArrayList<>();
    for (String data = client.readChunk(); data != null; data = client.readChunk()) {
      chunks.add(data);
    }
    return chunks;
  }

  List<String> chunks(int count) throws IOException {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chunks.add(client.readChunk());
    }
    return chunks;
  }

  /** What a chunk of this data weighs on the wire: hex size, CRLF, data, CRLF. */
  static long framed(List<String> chunks) {
    return chunks.stream()
        .mapToLong(
            data -> {
              int size = data.getBytes(StandardCharsets.UTF_8).length;
              return Integer.toHexString(size).length() + 2 + size + 2;
            })
        .sum();
  }

  @Test
  void answer_withUsage_roleTokensFinishUsageDone_thenTheLastChunk() throws IOException {
    client.send(RawHttp.post(STREAM_WITH_USAGE));

    assertThat(client.readHead()).isEqualTo(STREAM_HEAD);
    assertThat(chunks(7))
        .containsExactly(
            "data: {\"id\":\"chatcmpl-faulty-1\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],"
                + "\"usage\":null}\n\n",
            token("Hello", true),
            token(" brave", true),
            token(" new", true),
            token(" world", true),
            finish("stop", true),
            usage(1, 4));
    // "data: [DONE]\n\n" is 14 = 0xe bytes, then the last chunk
    assertThat(new String(client.readBytes(24), StandardCharsets.UTF_8))
        .isEqualTo("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
    assertThat(client.silentFor(Duration.ofMillis(50))).as("kept alive").isTrue();

    ReceivedRequest done = upstream.awaitEnd(1, WAIT);
    assertThat(done.ending().orElseThrow().how()).isEqualTo(How.COMPLETED);
    assertThat(done.tokensSent()).isEqualTo(4);
    assertThat(done.bodyBytesSent()).isEqualTo(client.bodyBytesReceived());
  }

  @Test
  void answer_withoutUsage_noUsageChunkAndNoUsageNulls() throws IOException {
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunksToEnd())
        .containsExactly(
            role(false),
            token("Hello", false),
            token(" brave", false),
            token(" new", false),
            token(" world", false),
            finish("stop", false),
            DONE);
  }

  @Test
  void streamCut_fin_roleAndTwoTokens_thenEndOfStreamWithoutTheLastChunk() throws IOException {
    upstream.enqueue(Fault.streamCutAfter(2, Cut.FIN));
    client.send(RawHttp.post(STREAM));

    assertThat(client.readHead()).isEqualTo(STREAM_HEAD);
    List<String> received = chunks(3);
    assertThat(received)
        .containsExactly(role(false), token("Hello", false), token(" brave", false));
    assertThat(client.read()).isEqualTo(-1);

    ReceivedRequest cut = upstream.awaitEnd(1, WAIT);
    assertThat(cut.ending().orElseThrow().how()).isEqualTo(How.CUT);
    assertThat(cut.tokensSent()).isEqualTo(2);
    assertThat(cut.bodyBytesSent()).isEqualTo(framed(received));
    assertThat(upstream.openConnections()).isZero();
  }

  @Test
  void streamCut_reset_roleAndTwoTokens_thenReset() throws IOException {
    upstream.enqueue(Fault.streamCutAfter(2, Cut.RESET));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunks(3))
        .containsExactly(role(false), token("Hello", false), token(" brave", false));
    assertThatThrownBy(client::read)
        .isInstanceOf(SocketException.class)
        .hasMessageContaining("reset");
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how()).isEqualTo(How.CUT);
  }

  @Test
  void streamCut_afterMoreTokensThanTheAnswerHas_cutsBeforeTheFinish() throws IOException {
    upstream.enqueue(Fault.streamCutAfter(9, Cut.FIN));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunks(5)).endsWith(token(" world", false));
    assertThat(client.read()).isEqualTo(-1);
  }

  @Test
  void bodyCut_onAStream_cutsAfterHalfTheTokens() throws IOException {
    upstream.enqueue(Fault.bodyCutHalfway(Cut.FIN));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunks(3))
        .containsExactly(role(false), token("Hello", false), token(" brave", false));
    assertThat(client.read()).isEqualTo(-1);
  }

  @Test
  void streamStall_twoTokens_thenSilenceOnAnOpenConnection_untilTheClientCloses()
      throws IOException {
    upstream.enqueue(Fault.streamStallAfter(2));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunks(3))
        .containsExactly(role(false), token("Hello", false), token(" brave", false));
    assertThat(client.silentFor(Duration.ofMillis(300))).isTrue();
    assertThat(upstream.openConnections()).isEqualTo(1);
    assertThat(upstream.requests().getFirst().ending()).isEmpty();

    client.close();

    ReceivedRequest stalled = upstream.awaitEnd(1, WAIT);
    assertThat(stalled.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(stalled.tokensSent()).isEqualTo(2);
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void slowFirstToken_headAndRoleAtOnce_firstTokenOnlyAfterTheDelay() throws IOException {
    upstream.enqueue(Fault.slowFirstToken(Duration.ofMillis(400)));
    long sent = System.nanoTime();
    client.send(RawHttp.post(STREAM));

    assertThat(client.readHead()).isEqualTo(STREAM_HEAD);
    assertThat(client.readChunk()).isEqualTo(role(false));
    assertThat(client.silentFor(Duration.ofMillis(150))).isTrue();
    assertThat(client.readChunk()).isEqualTo(token("Hello", false));
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(chunksToEnd()).hasSize(5);
  }

  @Test
  void answer_delayedHeadAndTokens_eachPartWaitsItsTurn() throws IOException {
    upstream.enqueue(
        Fault.answer()
            .delayHead(Duration.ofMillis(200))
            .delayBetweenTokens(Duration.ofMillis(100)));
    long sent = System.nanoTime();
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(chunksToEnd()).hasSize(7);
    // the head after 200 ms, then three tokens each 100 ms after the one before
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void malformedChunk_thenContinue_invalidEventBetweenTokens_restUnchanged() throws IOException {
    upstream.enqueue(Fault.malformedChunkAfter(1, AfterMalformed.CONTINUE));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunksToEnd())
        .containsExactly(
            role(false),
            token("Hello", false),
            "data: {\"choices\":[{\"delta\":{\"content\":\n\n",
            token(" brave", false),
            token(" new", false),
            token(" world", false),
            finish("stop", false),
            DONE);
    assertThat(upstream.awaitEnd(1, WAIT).tokensSent()).isEqualTo(4);
  }

  @Test
  void malformedChunk_thenClose_invalidEventThenEndOfStream() throws IOException {
    upstream.enqueue(Fault.malformedChunkAfter(1, AfterMalformed.CLOSE));
    client.send(RawHttp.post(STREAM));

    client.readHead();
    assertThat(chunks(3)).containsExactly(role(false), token("Hello", false), MALFORMED);
    assertThat(client.read()).isEqualTo(-1);
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how()).isEqualTo(How.CUT);
  }

  @Test
  void errorInStream_afterOneToken_errorObjectThenDone() throws IOException {
    upstream.enqueue(Fault.errorInStreamAfter(1));
    client.send(RawHttp.post(STREAM));

    assertThat(client.readHead()).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(chunksToEnd())
        .containsExactly(
            role(false),
            token("Hello", false),
            "data: {\"error\":{\"message\":\"The server had an error while processing your"
                + " request. Sorry about that!\",\"type\":\"server_error\"}}\n\n",
            DONE);
  }

  @Test
  void missingDone_finishAndUsage_thenTheLastChunkWithoutDone() throws IOException {
    upstream.enqueue(Fault.missingDone());
    client.send(RawHttp.post(STREAM_WITH_USAGE));

    client.readHead();
    assertThat(chunksToEnd())
        .containsExactly(
            role(true),
            token("Hello", true),
            token(" brave", true),
            token(" new", true),
            token(" world", true),
            finish("stop", true),
            usage(1, 4));
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how()).isEqualTo(How.COMPLETED);
  }

  @Test
  void noFinishReason_tokensThenDone_noFinishNoUsage() throws IOException {
    upstream.enqueue(Fault.noFinishReason());
    client.send(RawHttp.post(STREAM_WITH_USAGE));

    client.readHead();
    assertThat(chunksToEnd())
        .containsExactly(
            role(true),
            token("Hello", true),
            token(" brave", true),
            token(" new", true),
            token(" world", true),
            DONE);
  }

  @Test
  void maxTokens_belowTheAnswer_tokensCut_finishLength_usageCountsWhatWasSent() throws IOException {
    client.send(
        RawHttp.post(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"max_tokens\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

    client.readHead();
    assertThat(chunksToEnd())
        .containsExactly(
            role(true),
            token("Hello", true),
            token(" brave", true),
            finish("length", true),
            usage(1, 2),
            DONE);
  }

  @Test
  void continuation_prefixOfTheAnswer_streamsTheRest_promptCountsThePrefixWords()
      throws IOException {
    client.send(
        RawHttp.post(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello br\"}],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}"));

    client.readHead();
    // "Hi" and "Hello br" are 3 words; the rest "ave new world" is "ave", " new", " world"
    assertThat(chunksToEnd())
        .containsExactly(
            role(true),
            token("ave", true),
            token(" new", true),
            token(" world", true),
            finish("stop", true),
            usage(3, 3),
            DONE);
  }

  @Test
  void keepAlive_secondRequestOnTheSameConnection_answeredAfterTheFirst() throws IOException {
    client.send(RawHttp.post(STREAM));
    client.readHead();
    assertThat(chunksToEnd()).hasSize(7);

    client.send(RawHttp.post(STREAM));
    client.readHead();
    assertThat(chunksToEnd()).first().asString().contains("\"id\":\"chatcmpl-faulty-2\"");

    assertThat(upstream.awaitChatRequests(2, WAIT))
        .extracting(ReceivedRequest::connection)
        .containsExactly(1L, 1L);
  }

  @Test
  void flood_roleThenADataLineThatNeverEnds_untilTheClientCloses() throws IOException {
    upstream.enqueue(Fault.flood());
    client.send(RawHttp.post(STREAM));

    assertThat(client.readHead()).isEqualTo(STREAM_HEAD);
    assertThat(client.readChunk()).isEqualTo(role(false));
    assertThat(client.readChunk())
        .isEqualTo("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
    // a megabyte more, with nothing that would end the content
    assertThat(client.readChunksOf(1 << 20))
        .hasSizeGreaterThanOrEqualTo(1 << 20)
        .doesNotContain("\n")
        .doesNotContain("\r");
    client.close();

    ReceivedRequest flood = upstream.awaitEnd(1, WAIT);
    assertThat(flood.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(flood.bodyBytesSent()).isGreaterThan(1 << 20);
  }
}
