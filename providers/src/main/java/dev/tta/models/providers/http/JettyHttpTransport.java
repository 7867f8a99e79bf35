package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketOption;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
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
import org.eclipse.jetty.util.Promise;
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

  /** The longest a reader of a whole body waits for its exchange to be over. */
  private static final Duration RELEASE_WAIT = Duration.ofSeconds(1);

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
    CompletableFuture<Result> done = new CompletableFuture<>();
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
                (response, content) -> head.complete(new JettyReply(response, content, done)));
    byte[] body = call.body();
    if (body.length > 0) {
      request.body(new BytesRequestContent(body));
    }
    request.send(
        (Result result) -> {
          if (result.isFailed()) {
            head.completeExceptionally(result.getFailure());
          }
          done.complete(result);
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
    private final CompletableFuture<Result> done;
    private volatile boolean ended;

    /**
     * @param done completes once the exchange is over, after its connection went back to the pool
     *     (Jetty releases a connection before it reports the exchange complete)
     */
    JettyReply(Response response, Content.Source content, CompletableFuture<Result> done) {
      this.response = response;
      this.content = content;
      this.done = done;
      this.body = new Body(Content.Source.asInputStream(content), this);
    }

    /**
     * Marks the body read to its end and waits for the exchange to be over, so that a request sent
     * next finds this connection in the pool instead of opening another. Jetty ends the exchange
     * right after the last bytes are taken, so the wait is short; the bound only keeps a surprise
     * from hanging a caller.
     */
    private void end() {
      ended = true;
      try {
        done.get(RELEASE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the answer is whole; the connection goes back, or is closed, on its own
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits for the body on Jetty's own thread: no reader thread of its own. */
    @Override
    public byte[] readAll(Duration timeout)
        throws IOException, InterruptedException, TimeoutException {
      try {
        CompletableFuture<ByteBuffer> whole = new CompletableFuture<>();
        Content.Source.asByteBuffer(
            new Bounded(content),
            new Promise<>() {
              @Override
              public void succeeded(ByteBuffer buffer) {
                whole.complete(buffer);
              }

              @Override
              public void failed(Throwable failure) {
                whole.completeExceptionally(failure);
              }
            });
        ByteBuffer buffer = whole.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        end();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io
            ? io
            : new IOException(reason(e.getCause()), e.getCause());
      }
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
      if (!ended) {
        content.fail(new IOException("closed"));
      }
    }
  }

  /**
   * A body that fails once more than {@link HttpReply#MAX_HELD_BYTES} of it have arrived, failing
   * its source too, which aborts the exchange and closes the connection: the rest is never read.
   */
  private static final class Bounded implements Content.Source {
    private final Content.Source source;
    private long read;

    Bounded(Content.Source source) {
      this.source = source;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = source.read();
      if (chunk == null || Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      read += chunk.remaining();
      if (read <= HttpReply.MAX_HELD_BYTES) {
        return chunk;
      }
      chunk.release();
      OversizedAnswerException oversized = new OversizedAnswerException("the answer's body");
      source.fail(oversized);
      return Content.Chunk.from(oversized, true);
    }

    @Override
    public void demand(Runnable onContentAvailable) {
      source.demand(onContentAvailable);
    }

    @Override
    public void fail(Throwable failure) {
      source.fail(failure);
    }

    @Override
    public long getLength() {
      return source.getLength();
    }
  }

  /** The body as read, noting its end in the reply. */
  private static final class Body extends FilterInputStream {
    private final JettyReply reply;

    Body(InputStream in, JettyReply reply) {
      super(in);
      this.reply = reply;
    }

    @Override
    public int read() throws IOException {
      return noteEnd(super.read());
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return noteEnd(super.read(bytes, offset, length));
    }

    private int noteEnd(int read) {
      if (read < 0 && !reply.ended) {
        reply.end();
      }
      return read;
    }
  }
}
