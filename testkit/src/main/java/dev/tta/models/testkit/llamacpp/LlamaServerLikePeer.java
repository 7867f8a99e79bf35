package dev.tta.models.testkit.llamacpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server that reads and answers the way llama.cpp's {@code llama-server} does,
 * in the respects that decide how fast a keep-alive client gets its answer. llama-server is built
 * on cpp-httplib, which leaves Nagle's algorithm on ({@code TCP_NODELAY} off), reads the request
 * head through a 4 KiB buffer and then the body by its {@code Content-Length}, answers only once
 * the whole body is in, and writes the status line and headers in one {@code write} and the body in
 * another (a stream: the head, then each chunk in a write of its own).
 *
 * <p>With Nagle on, the body's write waits until the client acknowledges the head's segment. A
 * client on a reused connection acknowledges late (Linux delays the acknowledgement by at least 40
 * ms once a connection carries request and answer in turn), so a client that does nothing about it
 * waits 40 ms or more for every answer from llama-server; this peer makes that stall happen on
 * loopback, for tests and for the benchmark harness.
 *
 * <p>It answers {@code POST /v1/chat/completions} with a fixed answer of {@link #TOKENS} tokens in
 * llama-server's shape (a stream has no role chunk and ends with a chunk carrying the finish reason
 * and the usage, then {@code [DONE]}), and records, for every request, how many reads its head and
 * body took: one read means the client sent them together.
 */
public final class LlamaServerLikePeer implements AutoCloseable {

  /** How many tokens every answer has. */
  public static final int TOKENS = 16;

  /** The model the peer reports, as llama-server reports its {@code --alias}. */
  public static final String MODEL = "tiny-random";

  /** What the peer's model says, one token at a time. */
  public static final List<String> WORDS =
      List.of(
          "Hello",
          " there",
          ",",
          " traveller",
          ".",
          " The",
          " door",
          " creaks",
          " open",
          " onto",
          " a",
          " quiet",
          " hall",
          " of",
          " stone",
          ".");

  /** What cpp-httplib reads at a time. */
  static final int READ_BUFFER = 4096;

  private static final int MAX_HEAD = 64 * 1024;
  private static final String COMPLETION_ID = "chatcmpl-llamaserverlikepeer0000000000";

  private final ServerSocket listener;
  private final Duration perToken;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final List<Integer> readsPerRequest = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  private LlamaServerLikePeer(ServerSocket listener, Duration perToken) {
    this.listener = listener;
    this.perToken = perToken;
    this.acceptor = Thread.ofVirtual().name("llama-like-accept").start(this::accept);
  }

  /** Starts on a free loopback port, answering at once. */
  public static LlamaServerLikePeer start() {
    return start(0, Duration.ZERO);
  }

  /**
   * Starts on the given loopback port (0 for a free one), taking {@code perToken} to produce each
   * token of an answer, as a model would.
   */
  public static LlamaServerLikePeer start(int port, Duration perToken) {
    try {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
      return new LlamaServerLikePeer(listener, perToken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback port " + port, e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1/}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port() + "/v1/");
  }

  /** For every request answered so far, in order: the reads its head and body took together. */
  public List<Integer> readsPerRequest() {
    return List.copyOf(readsPerRequest);
  }

  /** Connections accepted so far. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** The whole answer's body, as the peer sends it to a request that is not streamed. */
  public static String completionBody() {
    return "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":"
        + quoted(String.join("", WORDS))
        + "}}],\"created\":1700000000,\"model\":\""
        + MODEL
        + "\",\"system_fingerprint\":\"b0000-peer\",\"object\":\"chat.completion\","
        + usage()
        + ",\"id\":\""
        + COMPLETION_ID
        + "\"}";
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = listener.accept();
        // cpp-httplib's default (CPPHTTPLIB_TCP_NODELAY false), stated rather than assumed
        socket.setTcpNoDelay(false);
        accepted.incrementAndGet();
        connections.add(socket);
        Thread.ofVirtual().name("llama-like-conn").start(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException("accept failed", e);
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Reader reader = new Reader(in);
      while (!closed) {
        Request request = reader.next();
        if (request == null) {
          return;
        }
        readsPerRequest.add(request.reads());
        answer(out, request);
      }
    } catch (SocketException e) {
      // the client closed or reset its connection: what ends a keep-alive connection
    } catch (IOException e) {
      if (!closed) {
        throw new UncheckedIOException(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.remove(socket);
    }
  }

  private void answer(OutputStream out, Request request) throws IOException, InterruptedException {
    if (!request.method().equals("POST") || !request.target().endsWith("/chat/completions")) {
      byte[] body =
          "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}"
              .getBytes(StandardCharsets.UTF_8);
      writeHead(out, "404 Not Found", "application/json; charset=utf-8", body.length);
      out.write(body);
      return;
    }
    boolean stream = request.body().replace(" ", "").contains("\"stream\":true");
    if (!stream) {
      pause(TOKENS);
      byte[] body = completionBody().getBytes(StandardCharsets.UTF_8);
      writeHead(out, "200 OK", "application/json; charset=utf-8", body.length);
      out.write(body);
      return;
    }
    writeHead(out, "200 OK", "text/event-stream", -1);
    for (int i = 0; i < WORDS.size(); i++) {
      pause(1);
      writeChunk(
          out, "data: " + chunk("{\"content\":" + quoted(WORDS.get(i)) + "}", null, "") + "\n\n");
    }
    writeChunk(out, "data: " + chunk("{}", "\"length\"", usage() + ",") + "\n\n");
    writeChunk(out, "data: [DONE]\n\n");
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private void pause(int tokens) throws InterruptedException {
    if (!perToken.isZero()) {
      Thread.sleep(perToken.multipliedBy(tokens));
    }
  }

  /** The status line and headers, in one write of their own, as cpp-httplib sends them. */
  private static void writeHead(OutputStream out, String status, String type, int length)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
    head.append("Keep-Alive: timeout=5, max=100\r\n");
    head.append("Content-Type: ").append(type).append("\r\n");
    head.append("Server: llama.cpp\r\n");
    if (length >= 0) {
      head.append("Content-Length: ").append(length).append("\r\n");
    } else {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("Access-Control-Allow-Origin: \r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static void writeChunk(OutputStream out, String data) throws IOException {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream(bytes.length + 16);
    chunk.writeBytes(Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    chunk.writeBytes(new byte[] {'\r', '\n'});
    chunk.writeBytes(bytes);
    chunk.writeBytes(new byte[] {'\r', '\n'});
    out.write(chunk.toByteArray());
  }

  /** A chunk; {@code extra} goes after the choices, a field and a comma or nothing. */
  private static String chunk(String delta, String finishReason, String extra) {
    return "{\"choices\":[{\"finish_reason\":"
        + (finishReason == null ? "null" : finishReason)
        + ",\"index\":0,\"delta\":"
        + delta
        + "}],"
        + extra
        + "\"created\":1700000000,\"id\":\""
        + COMPLETION_ID
        + "\",\"model\":\""
        + MODEL
        + "\",\"system_fingerprint\":\"b0000-peer\",\"object\":\"chat.completion.chunk\"}";
  }

  private static String usage() {
    return "\"usage\":{\"completion_tokens\":"
        + TOKENS
        + ",\"prompt_tokens\":56,\"total_tokens\":"
        + (TOKENS + 56)
        + "}";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing a listener that failed leaves nothing to release
    }
    for (Socket socket : List.copyOf(connections)) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // the connection is gone either way
      }
    }
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A request as read, with the number of reads its head and body took. */
  record Request(String method, String target, String body, int reads) {}

  /** Reads requests from a connection through a buffer of cpp-httplib's size. */
  private static final class Reader {
    /** CR LF CR LF, the last four bytes of a head. */
    private static final int HEAD_END = 0x0d0a0d0a;

    private final InputStream in;
    private final byte[] buffer = new byte[READ_BUFFER];
    private int start;
    private int end;
    private int reads;

    Reader(InputStream in) {
      this.in = in;
    }

    /** The next request, or null when the client closed the connection between requests. */
    Request next() throws IOException {
      reads = 0;
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int lastFour = 0;
      while (lastFour != HEAD_END) {
        int b = read();
        if (b < 0) {
          if (head.size() == 0) {
            return null;
          }
          throw new IOException("the connection closed inside a request head");
        }
        head.write(b);
        lastFour = (lastFour << 8) | b;
        if (head.size() > MAX_HEAD) {
          throw new IOException("request head over " + MAX_HEAD + " bytes");
        }
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      String[] requestLine = lines[0].split(" ");
      if (requestLine.length < 3) {
        throw new IOException("not an HTTP request line: " + lines[0]);
      }
      int length = 0;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0
            && lines[i]
                .substring(0, colon)
                .trim()
                .toLowerCase(Locale.ROOT)
                .equals("content-length")) {
          length = Integer.parseInt(lines[i].substring(colon + 1).trim());
        }
      }
      byte[] body = new byte[length];
      for (int i = 0; i < length; i++) {
        int b = read();
        if (b < 0) {
          throw new IOException("the connection closed inside a request body");
        }
        body[i] = (byte) b;
      }
      return new Request(
          requestLine[0], requestLine[1], new String(body, StandardCharsets.UTF_8), reads);
    }

    private int read() throws IOException {
      if (start == end) {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          return -1;
        }
        reads++;
        start = 0;
        end = n;
      }
      return buffer[start++] & 0xff;
    }
  }

  /** The reads of every request so far, for a message. */
  @Override
  public String toString() {
    return "LlamaServerLikePeer on port "
        + port()
        + ", reads per request "
        + new ArrayList<>(readsPerRequest);
  }
}
