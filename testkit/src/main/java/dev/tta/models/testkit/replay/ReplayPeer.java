package dev.tta.models.testkit.replay;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real local HTTP server that replays recorded responses byte for byte (WireMock standalone on a
 * random loopback port), behind a TCP relay that lets tests watch connections from the peer's side
 * and inject the failures a server will not produce on demand (see {@link #stallConnections()},
 * {@link #resetConnections()}, {@link #stallAfterBodyBytes(long)}). It records every request it
 * receives. WireMock's threads run in their own thread group, so that leak checks can tell them
 * from a client's.
 */
public final class ReplayPeer implements AutoCloseable {

  /** Hop-by-hop headers of a recording that the server sets itself for the replayed body. */
  private static final Set<String> FRAMING_HEADERS =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive");

  private static final ThreadGroup PEER_THREADS = new ThreadGroup("mm-replay-peer");

  private final WireMockServer server;
  private final TcpRelay relay;
  private final Map<String, StubMapping> stubs = new ConcurrentHashMap<>();

  private ReplayPeer(WireMockServer server, TcpRelay relay) {
    this.server = server;
    this.relay = relay;
  }

  /** Starts a peer on random loopback ports. */
  public static ReplayPeer start() {
    WireMockServer server =
        new WireMockServer(
            options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .gzipDisabled(true)
                .jettyAcceptors(1)
                .containerThreads(16)
                .asynchronousResponseEnabled(false)
                .notifier(new Slf4jNotifier(false)));
    Thread starter = new Thread(PEER_THREADS, server::start, "mm-replay-peer-start");
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the replay peer", e);
    }
    if (!server.isRunning()) {
      throw new IllegalStateException("the replay peer's HTTP server did not start");
    }
    try {
      TcpRelay relay = new TcpRelay(server.port());
      relay.start();
      return new ReplayPeer(server, relay);
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a thread belongs to a replay peer (rather than to the code under test). */
  public static boolean isPeerThread(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    for (; group != null; group = group.getParent()) {
      if (group == PEER_THREADS) {
        return true;
      }
    }
    return false;
  }

  /** {@code http://127.0.0.1:<port>}: the address clients use. */
  public URI root() {
    return URI.create("http://127.0.0.1:" + relay.port());
  }

  /** An address on this peer, such as {@code /v1}. */
  public URI url(String path) {
    return URI.create(root() + path);
  }

  /**
   * Serves an exchange's response, unchanged, for its method and path, until replaced. The body
   * goes out with its length (not chunked), so that {@link #stallAfterBodyBytes(long)} counts its
   * bytes exactly.
   */
  public void serve(Exchange exchange) {
    stub(exchange, withLength(exchange.response()));
  }

  /**
   * Serves an exchange's response in {@code chunks} pieces spread over {@code total}, so that a
   * client sees a stream arrive over time.
   */
  public void serveSlowly(Exchange exchange, int chunks, Duration total) {
    stub(
        exchange,
        response(exchange.response()).withChunkedDribbleDelay(chunks, (int) total.toMillis()));
  }

  /**
   * Serves an exchange's streamed response followed by {@code paddingBytes} of filler its readers
   * skip (comment lines for server-sent events, blank lines for newline-delimited JSON), the whole
   * dripped in {@code chunks} pieces over {@code total}: a body far longer than what a client reads
   * before it hangs up, so that how much the peer sent shows whether the client stopped reading,
   * whatever the socket buffers hold.
   *
   * @return the length of the body served, filler included
   */
  public int serveSlowlyPadded(Exchange exchange, int paddingBytes, int chunks, Duration total) {
    RecordedResponse recorded = exchange.response();
    boolean events =
        recorded
            .header("Content-Type")
            .orElse("")
            .toLowerCase(Locale.ROOT)
            .contains("event-stream");
    byte[] line = (events ? ": padding\n" : "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] original = recorded.body();
    byte[] padded = Arrays.copyOf(original, original.length + paddingBytes);
    for (int at = original.length; at < padded.length; at++) {
      padded[at] = line[(at - original.length) % line.length];
    }
    if (events) {
      padded[padded.length - 1] = '\n';
    }
    stub(
        exchange,
        response(recorded)
            .withBody(padded)
            .withChunkedDribbleDelay(chunks, (int) total.toMillis()));
    return padded.length;
  }

  /** Serves an exchange's response after a delay before its head. */
  public void serveAfter(Exchange exchange, Duration delay) {
    stub(exchange, withLength(exchange.response()).withFixedDelay((int) delay.toMillis()));
  }

  private void stub(Exchange exchange, ResponseDefinitionBuilder response) {
    String key = exchange.method().toUpperCase(Locale.ROOT) + " " + exchange.path();
    StubMapping previous = stubs.remove(key);
    if (previous != null) {
      server.removeStub(previous);
    }
    stubs.put(
        key,
        server.stubFor(
            request(exchange.method().toUpperCase(Locale.ROOT), urlPathEqualTo(exchange.path()))
                .willReturn(response)));
  }

  /** With a Content-Length, so the body goes out as recorded, without chunk framing. */
  private static ResponseDefinitionBuilder withLength(RecordedResponse recorded) {
    return response(recorded)
        .withHeader("Content-Length", Integer.toString(recorded.body().length));
  }

  private static ResponseDefinitionBuilder response(RecordedResponse recorded) {
    ResponseDefinitionBuilder response = aResponse().withStatus(recorded.status());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : recorded.headers()) {
      if (!FRAMING_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
      }
    }
    headers.forEach((name, values) -> response.withHeader(name, values.toArray(String[]::new)));
    return response.withBody(recorded.body());
  }

  /** Clears stubs and received requests, and lets connections through again. */
  public void reset() {
    server.resetAll();
    stubs.clear();
    relay.mode(new TcpRelay.Forward());
  }

  /** The requests received so far, oldest first. */
  public List<RecordedRequest> requests() {
    List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
    Collections.reverse(events);
    List<RecordedRequest> requests = new ArrayList<>();
    for (ServeEvent event : events) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (HttpHeader header : event.getRequest().getHeaders().all()) {
        headers.putIfAbsent(header.key().toLowerCase(Locale.ROOT), header.firstValue());
      }
      requests.add(
          new RecordedRequest(
              event.getRequest().getMethod().value(),
              event.getRequest().getUrl(),
              headers,
              event.getRequest().getBody()));
    }
    return requests;
  }

  /** From now on requests are never answered, on new connections and on pooled ones. */
  public void stallConnections() {
    relay.mode(new TcpRelay.Stall());
  }

  /**
   * From now on new connections are reset as soon as they are accepted, and pooled ones when they
   * next carry a request.
   */
  public void resetConnections() {
    relay.mode(new TcpRelay.Reset());
  }

  /**
   * From now on each response gets through with its head and this many body bytes, then nothing
   * more.
   */
  public void stallAfterBodyBytes(long bodyBytes) {
    relay.mode(new TcpRelay.StallAfterBody(bodyBytes));
  }

  /** From now on everything is passed through (the default). */
  public void forwardConnections() {
    relay.mode(new TcpRelay.Forward());
  }

  /** A mark in the history of client connections; see {@link #connectionsSince(int)}. */
  public int connectionMark() {
    return relay.mark();
  }

  /** The client connections accepted since a mark, as the peer sees them. */
  public List<PeerConnection> connectionsSince(int mark) {
    return relay.since(mark).stream()
        .map(c -> new PeerConnection(c.isClosed(), c.bytesToClient()))
        .toList();
  }

  /**
   * Waits until every client connection accepted since the mark has been closed.
   *
   * @return false when some were still open at the timeout
   */
  public boolean awaitConnectionsClosedSince(int mark, Duration timeout) {
    try {
      return relay.awaitClosedSince(mark, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    relay.close();
    server.stop();
  }

  /**
   * One client connection, as the peer saw it.
   *
   * @param closed whether it has been closed (by either side)
   * @param bytesToClient the bytes the peer sent on it, response heads included
   */
  public record PeerConnection(boolean closed, long bytesToClient) {}
}
