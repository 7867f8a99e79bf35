package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.ReceivedRequest;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import dev.tta.models.testkit.servers.RefusingPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport over real HTTP: answers come whole over kept-alive connections, the bytes of a body
 * that breaks are read before its failure, a close ends a read blocked on another thread, and a
 * missing head or connection fails the way the providers' error mapping reads.
 */
class JettyHttpTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final byte[] STREAM_REQUEST =
      "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN_REQUEST =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private static HttpCall chat(FaultyUpstream upstream, byte[] body) {
    return HttpCall.post(
        upstream.baseUrl().resolve("chat/completions"),
        Map.of("Content-Type", "application/json"),
        body);
  }

  @Test
  void wholeAnswers_comeOverOneKeptAliveConnection() throws Exception {
    try (FaultyUpstream upstream =
            FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("one two"));
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      for (int i = 0; i < 3; i++) {
        try (HttpReply reply = transport.send(chat(upstream, PLAIN_REQUEST), WAIT)) {
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.header("CONTENT-TYPE"))
              .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
          assertThat(new String(reply.body().readAllBytes(), StandardCharsets.UTF_8))
              .contains("\"content\":\"one two\"");
        }
      }
      assertThat(upstream.chatRequests()).hasSize(3);
      assertThat(upstream.chatRequests())
          .extracting(ReceivedRequest::connection)
          .containsOnly(upstream.chatRequests().getFirst().connection());
    }
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void aStreamCutRightAfterItsTokens_yieldsThoseTokensBeforeTheFailure(Cut cut) throws Exception {
    try (FaultyUpstream upstream =
            FaultyUpstream.start(
                FaultyUpstream.config().modelIds("m").answer("one two three four"));
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      for (int i = 0; i < 20; i++) {
        upstream.enqueue(Fault.streamCutAfter(3, cut));
        try (HttpReply reply = transport.send(chat(upstream, STREAM_REQUEST), WAIT)) {
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.header("content-type")).hasValue("text/event-stream");
          ByteArrayOutputStream read = new ByteArrayOutputStream();
          InputStream in = reply.body();
          assertThatThrownBy(() -> in.transferTo(read)).isInstanceOf(IOException.class);
          assertThat(read.toString(StandardCharsets.UTF_8))
              .as("exchange %d", i + 1)
              .contains("\"content\":\"one\"")
              .contains("\"content\":\" two\"")
              .contains("\"content\":\" three\"")
              .doesNotContain("four");
        }
      }
    }
  }

  @Test
  void close_endsAReadBlockedOnAnotherThread_andClosesTheConnection() throws Exception {
    try (FaultyUpstream upstream =
            FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("one two three"));
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      upstream.enqueue(Fault.streamStallAfter(1));
      HttpReply reply = transport.send(chat(upstream, STREAM_REQUEST), WAIT);
      InputStream in = reply.body();
      CompletableFuture<Throwable> reading =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  in.transferTo(OutputStreamSink.INSTANCE);
                  return null;
                } catch (IOException e) {
                  return e;
                }
              });
      // the stalled stream's first token arrives, then nothing: the read blocks until the close
      upstream.awaitChatRequests(1, WAIT);
      reply.close();

      assertThat(reading.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(IOException.class);
      assertThat(upstream.awaitEnd(1, WAIT).ending())
          .hasValueSatisfying(ending -> assertThat(ending.how()).isEqualTo(How.CLOSED_BY_CLIENT));
    }
  }

  @Test
  void aBodyWithoutEnd_failsOnceItPassesTheLimit_andTheConnectionIsClosed() throws Exception {
    try (FaultyUpstream upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m"));
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      upstream.enqueue(Fault.flood());
      try (HttpReply reply = transport.send(chat(upstream, PLAIN_REQUEST), WAIT)) {
        assertThat(reply.status()).isEqualTo(200);
        assertThatThrownBy(() -> reply.readAll(WAIT))
            .isInstanceOf(OversizedAnswerException.class)
            .hasMessage(
                "the answer's body is larger than 8 MiB, more than any chat answer: not read"
                    + " further");
      }
      ReceivedRequest flood = upstream.awaitEnd(1, WAIT);
      assertThat(flood.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
      // what the kernel's buffers held besides: far less than a flood would send in the wait
      assertThat(flood.bodyBytesSent()).isBetween(8L << 20, 32L << 20);
    }
  }

  @Test
  void noHead_inTime_isAnHttpTimeout() throws Exception {
    try (FaultyUpstream upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m"));
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      upstream.enqueue(Fault.noResponse());
      assertThatThrownBy(
              () -> transport.send(chat(upstream, PLAIN_REQUEST), Duration.ofMillis(200)))
          .isInstanceOf(HttpTimeoutException.class)
          .hasMessageContaining("no response head within 200 ms");
    }
  }

  @Test
  void noServer_isAConnectException() throws Exception {
    try (RefusingPort refusing = RefusingPort.open();
        JettyHttpTransport transport = new JettyHttpTransport(WAIT)) {
      URI nowhere = refusing.uri().resolve("/v1/models");
      assertThatThrownBy(() -> transport.send(HttpCall.get(nowhere, Map.of()), WAIT))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aClosedTransport_refusesToSend() {
    JettyHttpTransport transport = new JettyHttpTransport(WAIT);
    transport.close();
    transport.close();
    assertThatThrownBy(
            () -> transport.send(HttpCall.get(URI.create("http://127.0.0.1:1/"), Map.of()), WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("transport: already closed");
  }

  /** Discards what is written to it. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
