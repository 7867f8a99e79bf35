package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link HttpTransport} over the JDK's {@link HttpClient}, with its work done on virtual threads.
 * HTTP/1.1 only: a streamed answer then owns its connection, and closing the reply closes that
 * connection, which is what tells an upstream server to stop generating.
 */
public final class JdkHttpTransport implements HttpTransport {

  /** How long {@link #close()} waits for the client's own threads to end. */
  public static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public JdkHttpTransport(Duration connectTimeout) {
    Checks.notNull(connectTimeout, "connect_timeout");
    Checks.require(
        !connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connect_timeout",
        "must be positive, was " + connectTimeout);
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  @Override
  public HttpReply send(HttpCall call, Duration timeout) throws IOException, InterruptedException {
    if (closed.get()) {
      throw new IllegalStateException("transport: already closed");
    }
    byte[] body = call.body();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(timeout)
            .method(
                call.method(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> header : call.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    AtomicReference<Head> head = new AtomicReference<>();
    HttpResponse.BodyHandler<InputStream> reading =
        info -> {
          ReceivedBodyStream received = new ReceivedBodyStream();
          head.set(new Head(info, received));
          return received;
        };
    try {
      HttpResponse<InputStream> response = client.send(request.build(), reading);
      return new JdkReply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      Head received = head.get();
      if (received == null) {
        throw e;
      }
      // The head arrived, and the body failed before the client handed the response over (the
      // JDK's client lets a failure of the body overtake the response): the bytes received before
      // the failure are still the upstream's answer, so they are read before the failure is.
      received.body().onError(e);
      return new JdkReply(received.info().statusCode(), received.info().headers(), received.body());
    }
  }

  /** A response's head, and the stream its body is read from. */
  private record Head(HttpResponse.ResponseInfo info, ReceivedBodyStream body) {}

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.shutdownNow();
      try {
        client.awaitTermination(SHUTDOWN_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor.shutdownNow();
    }
  }

  private record JdkReply(int status, HttpHeaders headers, InputStream body) implements HttpReply {

    @Override
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // closing aborts the exchange; a failure to do so leaves nothing else to release
      }
    }
  }
}
