package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The body stream hands out every byte received before the failure that ended the body, asks for
 * more only as it reads, and a close cancels the exchange and ends a blocked read.
 */
class ReceivedBodyStreamTest {

  static final class Subscription implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }

  static List<ByteBuffer> bytes(String text) {
    return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String readUpTo(InputStream in, int count) throws IOException {
    return new String(in.readNBytes(count), StandardCharsets.UTF_8);
  }

  @Test
  void bytesBeforeAFailure_areReadFirst_thenTheFailure() throws IOException {
    ReceivedBodyStream body = new ReceivedBodyStream();
    body.onSubscribe(new Subscription());
    body.onNext(bytes("data: one\n\n"));
    body.onNext(bytes("data: two\n\n"));
    IOException cut = new IOException("connection reset");
    body.onError(cut);

    assertThat(readUpTo(body, 22)).isEqualTo("data: one\n\ndata: two\n\n");
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasCause(cut);
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasCause(cut);
  }

  @Test
  void aFailureThatIsNotAnIoException_isWrappedInOne() {
    ReceivedBodyStream body = new ReceivedBodyStream();
    body.onSubscribe(new Subscription());
    IllegalStateException broken = new IllegalStateException("broken");
    body.onError(broken);

    assertThatThrownBy(body::read)
        .isInstanceOf(IOException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasCause(broken);
  }

  @Test
  void aCompleteBody_endsAfterItsBytes() throws IOException {
    ReceivedBodyStream body = new ReceivedBodyStream();
    body.onSubscribe(new Subscription());
    body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, (byte) 200}), ByteBuffer.allocate(0)));
    body.onNext(List.of());
    body.onNext(bytes("x"));
    body.onComplete();

    assertThat(body.read()).isEqualTo(1);
    assertThat(body.read()).isEqualTo(200);
    assertThat(body.available()).isZero();
    byte[] rest = new byte[4];
    assertThat(body.read(rest, 1, 0)).isZero();
    assertThat(body.read(rest, 1, 3)).isEqualTo(1);
    assertThat(rest[1]).isEqualTo((byte) 'x');
    assertThat(body.read(rest, 0, 4)).isEqualTo(-1);
    assertThat(body.read()).isEqualTo(-1);
  }

  @Test
  void demand_oneListAtSubscription_andOneMoreForEachListTaken() throws IOException {
    ReceivedBodyStream body = new ReceivedBodyStream();
    Subscription subscription = new Subscription();
    body.onSubscribe(subscription);
    assertThat(subscription.requested).hasValue(1);
    body.onNext(bytes("ab"));
    body.onNext(bytes("c"));

    assertThat(body.read()).isEqualTo('a');
    assertThat(subscription.requested).hasValue(2);
    assertThat(body.available()).isEqualTo(1);
    assertThat(body.read()).isEqualTo('b');
    assertThat(subscription.requested).hasValue(2);
    assertThat(body.read()).isEqualTo('c');
    assertThat(subscription.requested).hasValue(3);
  }

  @Test
  void close_cancelsTheExchange_andEndsAReadBlockedOnAnotherThread() throws Exception {
    ReceivedBodyStream body = new ReceivedBodyStream();
    Subscription subscription = new Subscription();
    body.onSubscribe(subscription);
    CompletableFuture<Throwable> reading = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    body.read();
                    reading.complete(null);
                  } catch (IOException e) {
                    reading.complete(e);
                  }
                });

    body.close();

    assertThat(reading.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(reader.join(Duration.ofSeconds(5))).isTrue();
    assertThat(subscription.cancelled).isTrue();
    body.close();
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessage("closed");
  }

  @Test
  void closedBeforeTheSubscription_cancelsItAtOnce() throws IOException {
    ReceivedBodyStream body = new ReceivedBodyStream();
    body.close();
    Subscription subscription = new Subscription();

    body.onSubscribe(subscription);

    assertThat(subscription.cancelled).isTrue();
    assertThat(subscription.requested).hasValue(0);
    assertThat(body.getBody().toCompletableFuture().join()).isSameAs(body);
  }

  /**
   * The upstream sends the head, three tokens and the cut at once, so that the client learns of the
   * cut while the tokens are still on their way to the reader (or before it has the response at
   * all): repeated, since which comes first is up to the JDK client's threads.
   */
  @ParameterizedTest
  @EnumSource(Cut.class)
  void overHttp_aStreamCutRightAfterItsTokens_yieldsThoseTokensBeforeTheFailure(Cut cut)
      throws Exception {
    try (FaultyUpstream upstream =
            FaultyUpstream.start(
                FaultyUpstream.config().modelIds("m").answer("one two three four"));
        JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5))) {
      byte[] request =
          "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
              .getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 20; i++) {
        upstream.enqueue(Fault.streamCutAfter(3, cut));
        try (HttpReply reply =
            transport.send(
                HttpCall.post(upstream.baseUrl().resolve("chat/completions"), Map.of(), request),
                Duration.ofSeconds(5))) {
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
}
