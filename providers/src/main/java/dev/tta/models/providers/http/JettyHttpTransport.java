package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketOption;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@link HttpTransport} over Jetty's {@link HttpClient} (HTTP/1.1, keep-alive): one selector thread
 * reads every connection and a caller blocks only on its own answer, without the hand-offs between
 * selector and executor threads that the JDK's client makes for every exchange. A streamed answer
 * owns its connection, and closing the reply before its end closes that connection, which is what
 * tells an upstream server to stop generating.
 *
 * <p>A request goes out in one write (head and body together), and once it is out the connection
 * acknowledges what arrives at once ({@code TCP_QUICKACK}, where the system has it). Without that,
 * a server that leaves Nagle's algorithm on and writes its answer's head and body apart, as
 * llama.cpp's server does, holds the body back until the head is acknowledged, and Linux delays
 * that acknowledgement by at least 40 ms on a connection that carries requests and answers in turn.
 *
 * <p>Nothing here limits the gateway: no cap on connections or queued requests per server, no idle
 * limit on an exchange in progress (the callers' own limits apply), and bodies are passed on as
 * sent (no {@code Accept-Encoding} of the client's own).
 */
public final class JettyHttpTransport implements HttpTransport {

  /** How long an unused pooled connection is kept. */
  public static final Duration IDLE_CONNECTION = Duration.ofSeconds(30);

  /**
   * Threads of each transport's pool: the selector and Jetty's own tasks; callers block on their
   * own threads.
   */
  private static final int MAX_THREADS = 32;

  private static final int MIN_THREADS = 2;

  private static final SocketOption<Boolean> QUICK_ACK = ExtendedSocketOptions.TCP_QUICKACK;

  private final HttpClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public JettyHttpTransport(Duration connectTimeout) {
    Checks.notNull(connectTimeout, "connect_timeout");
    Checks.require(
        !connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connect_timeout",
        "must be positive, was " + connectTimeout);
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setConnectTimeout(connectTimeout);
    connector.setIdleTimeout(IDLE_CONNECTION);
    connector.setTCPNoDelay(true);
    connector.setSslContextFactory(new SslContextFactory.Client());
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("mm-http");
    connector.setExecutor(threads);
    this.client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.setExecutor(threads);
    client.setName("mm-http");
    client.setFollowRedirects(false);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setIdleTimeout(IDLE_CONNECTION.toMillis());
    client.setMaxConnectionsPerDestination(Integer.MAX_VALUE);
    client.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
    client.getContentDecoderFactories().clear();
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("transport: the HTTP client did not start", e);
    }
  }

  @Override
  public HttpReply send(HttpCall call, Duration timeout) throws IOException, InterruptedException {
    if (closed.get()) {
      throw new IllegalStateException("transport: already closed");
    }
    AtomicBoolean begun = new AtomicBoolean();
    CompletableFuture<HttpReply> head = new CompletableFuture<>();
    Request request =
        client
            .newRequest(call.uri())
            .method(call.method())
            // the callers bound the body themselves; an exchange in progress has no idle limit here
            .idleTimeout(0, TimeUnit.MILLISECONDS)
            .headers(headers -> copy(call.headers(), headers))
            .onRequestBegin(r -> begun.set(true))
            .onRequestSuccess(JettyHttpTransport::acknowledgeAtOnce)
            .onResponseContentSource(
                (response, content) -> head.complete(new JettyReply(response, content)));
    byte[] body = call.body();
    if (body.length > 0) {
      request.body(new BytesRequestContent(body));
    }
    request.send(
        (Result result) -> {
          if (result.isFailed()) {
            head.completeExceptionally(result.getFailure());
          }
        });
    try {
      return head.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      HttpTimeoutException late =
          begun.get()
              ? new HttpTimeoutException("no response head within " + timeout.toMillis() + " ms")
              : new HttpConnectTimeoutException(
                  "no connection within " + timeout.toMillis() + " ms");
      request.abort(late);
      throw late;
    } catch (InterruptedException e) {
      request.abort(e);
      throw e;
    } catch (ExecutionException e) {
      throw failure(e.getCause(), begun.get());
    }
  }

  /**
   * A failure before the response head as the JDK's client reports it, which is what the providers'
   * error mapping reads: a connection that could not be made is a {@link ConnectException}.
   */
  private static IOException failure(Throwable cause, boolean begun) {
    if (!begun && !(cause instanceof ConnectException)) {
      ConnectException connect = new ConnectException(reason(cause));
      connect.initCause(cause);
      return connect;
    }
    return cause instanceof IOException io ? io : new IOException(reason(cause), cause);
  }

  /** The first message along the cause chain, else the failure's kind. */
  private static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }

  private static void copy(Map<String, String> from, HttpFields.Mutable to) {
    for (Map.Entry<String, String> header : from.entrySet()) {
      to.put(header.getKey(), header.getValue());
    }
  }

  /** Asks the system to acknowledge the answer's segments as they arrive (Linux only). */
  private static void acknowledgeAtOnce(Request request) {
    if (request.getConnection() instanceof org.eclipse.jetty.io.Connection connection) {
      EndPoint endPoint = connection.getEndPoint();
      if (endPoint.getTransport() instanceof NetworkChannel channel
          && channel.supportedOptions().contains(QUICK_ACK)) {
        try {
          channel.setOption(QUICK_ACK, true);
        } catch (IOException ignored) {
          // a connection that is closing: its answer fails on its own
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        client.stop();
      } catch (Exception ignored) {
        // stopping closes every connection; a failure to do so leaves nothing else to release
      }
    }
  }

  /** A response whose head has arrived; its body is read from Jetty's content source. */
  private static final class JettyReply implements HttpReply {
    private final Response response;
    private final Content.Source content;
    private final Body body;

    JettyReply(Response response, Content.Source content) {
      this.response = response;
      this.content = content;
      this.body = new Body(Content.Source.asInputStream(content));
    }

    @Override
    public int status() {
      return response.getStatus();
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(response.getHeaders().get(name));
    }

    @Override
    public InputStream body() {
      return body;
    }

    /**
     * Before the body's end, fails its source, which aborts the exchange (closing its connection)
     * and ends a read blocked on another thread; after the end it leaves the connection to be used
     * again.
     */
    @Override
    public void close() {
      if (!body.ended) {
        content.fail(new IOException("closed"));
      }
    }
  }

  /** The body as read, noting its end. */
  private static final class Body extends FilterInputStream {
    private volatile boolean ended;

    Body(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int read = super.read();
      ended |= read < 0;
      return read;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int read = super.read(bytes, offset, length);
      ended |= read < 0;
      return read;
    }
  }
}
