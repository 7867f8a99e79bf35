package dev.tta.models.testkit.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * One accepted connection, spoken to in HTTP/1.1 byte by byte: requests read with their bodies (by
 * {@code Content-Length} or chunked), responses written exactly as told and flushed at once, waits
 * that notice a client closing at the moment it does, and the two ways of cutting a connection.
 * Used by one thread at a time, apart from {@link #stop()}.
 */
final class HttpConnection {

  /** A request as read: the header names in lower case. */
  record Request(
      String method, String target, SequencedMap<String, List<String>> headers, byte[] body) {

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name)).map(values -> values.getFirst());
    }

    /** Whether the client asked to close the connection after this exchange. */
    boolean wantsClose() {
      return header("connection").map(value -> value.toLowerCase(Locale.ROOT)).stream()
          .anyMatch(value -> value.contains("close"));
    }
  }

  /** Bytes that are not an HTTP/1.1 request. */
  static final class MalformedRequest extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedRequest(String message) {
      super(message);
    }
  }

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_BODY = 64 * 1024 * 1024;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(408, "Request Timeout"),
          Map.entry(413, "Content Too Large"),
          Map.entry(422, "Unprocessable Content"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private final long id;
  private final Socket socket;
  private final BufferedInputStream in;
  private final OutputStream out;
  private volatile boolean stopped;
  private long bodyBytes;

  HttpConnection(long id, Socket socket) throws IOException {
    this.id = id;
    this.socket = socket;
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  long id() {
    return id;
  }

  /** The next request; empty when the client closed the connection between requests. */
  Optional<Request> read() throws IOException {
    String line = readLine(true);
    while (line != null && line.isEmpty()) {
      line = readLine(true);
    }
    if (line == null) {
      return Optional.empty();
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new MalformedRequest("not an HTTP/1.1 request line: " + line);
    }
    SequencedMap<String, List<String>> headers = new LinkedHashMap<>();
    for (String header = readLine(false); !header.isEmpty(); header = readLine(false)) {
      int colon = header.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw new MalformedRequest("bad header line or too many headers: " + header);
      }
      headers
          .computeIfAbsent(
              header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              name -> new ArrayList<>())
          .add(header.substring(colon + 1).strip());
    }
    Request head = new Request(parts[0], parts[1], headers, new byte[0]);
    if (head.header("expect").filter(value -> value.equalsIgnoreCase("100-continue")).isPresent()) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    return Optional.of(new Request(parts[0], parts[1], headers, body(head)));
  }

  private byte[] body(Request head) throws IOException {
    if (head.header("transfer-encoding")
        .filter(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))
        .isPresent()) {
      return chunkedBody();
    }
    Optional<String> length = head.header("content-length");
    if (length.isEmpty()) {
      return new byte[0];
    }
    int size;
    try {
      size = Integer.parseInt(length.get());
    } catch (NumberFormatException e) {
      throw new MalformedRequest("bad Content-Length: " + length.get());
    }
    if (size < 0 || size > MAX_BODY) {
      throw new MalformedRequest("Content-Length out of range: " + size);
    }
    return exactly(size);
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(false);
      int extension = sizeLine.indexOf(';');
      String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new MalformedRequest("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new MalformedRequest("chunk size out of range: " + sizeLine);
      }
      if (size == 0) {
        while (!readLine(false).isEmpty()) {
          // trailer fields are read and dropped: no client of ours sends any that matter
        }
        return body.toByteArray();
      }
      body.write(exactly(size));
      if (!readLine(false).isEmpty()) {
        throw new MalformedRequest("chunk of " + size + " bytes not followed by CRLF");
      }
    }
  }

  private byte[] exactly(int size) throws IOException {
    byte[] bytes = in.readNBytes(size);
    if (bytes.length < size) {
      throw new EOFException("body ended after " + bytes.length + " of " + size + " bytes");
    }
    return bytes;
  }

  /**
   * A line without its CRLF (or bare LF); null at an end of stream before any byte when {@code
   * endAllowed}.
   */
  private String readLine(boolean endAllowed) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b = in.read();
    if (b < 0 && endAllowed) {
      return null;
    }
    while (b != '\n') {
      if (b < 0) {
        throw new EOFException("connection closed in the middle of a line");
      }
      if (line.size() >= MAX_LINE) {
        throw new MalformedRequest("line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
      b = in.read();
    }
    byte[] bytes = line.toByteArray();
    int length =
        bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** A status line, these headers in order and the blank line; starts counting body bytes. */
  void writeHead(int status, SequencedMap<String, String> headers) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ');
    head.append(REASONS.getOrDefault(status, "")).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    bodyBytes = 0;
  }

  void writeBody(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    bodyBytes += bytes.length;
  }

  /** One chunk of a chunked body: its size in hex, CRLF, the text in UTF-8, CRLF. */
  void writeChunk(String text) throws IOException {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    byte[] size = Integer.toHexString(data.length).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    chunk.write(size);
    chunk.write(CRLF);
    chunk.write(data);
    chunk.write(CRLF);
    writeBody(chunk.toByteArray());
  }

  /** The last, empty chunk: the body is complete. */
  void endChunks() throws IOException {
    writeBody("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Body bytes written since the last head. */
  long bodyBytes() {
    return bodyBytes;
  }

  /**
   * Waits this long (real time), watching the connection: a client that closes it meanwhile ends
   * the wait at once with an {@link EOFException}. Bytes the client sends meanwhile (a pipelined
   * request) are left to be read; the rest of the wait is then slept out.
   */
  void pause(Duration duration) throws IOException {
    long deadline = System.nanoTime() + duration.toNanos();
    long left = duration.toNanos();
    if (left <= 0) {
      return;
    }
    try {
      socket.setSoTimeout((int) Math.max(1, Math.ceilDiv(left, 1_000_000L)));
      in.mark(1);
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the client closed the connection");
      }
      in.reset();
      Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (SocketTimeoutException e) {
      // the wait is over and the client is still there
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pausing");
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(0);
      }
    }
  }

  /**
   * Sends nothing and returns when the client closes the connection; whatever it sends meanwhile is
   * dropped. A reset by the client or a {@link #stop()} ends it with an exception.
   */
  void holdUntilClientCloses() throws IOException {
    byte[] dropped = new byte[1024];
    while (in.read(dropped) >= 0) {
      // an HTTP/1.1 client sends nothing more before it has its answer; drop whatever comes
    }
  }

  /** Closes the connection as a fault says: a FIN, or a reset. */
  void cut(Fault.Cut cut) throws IOException {
    if (cut == Fault.Cut.RESET) {
      socket.setSoLinger(true, 0);
    }
    socket.close();
  }

  /**
   * Ends the connection from another thread, with a reset, as a server that goes away does; the
   * connection's thread sees its read or write fail and {@link #stopped()} true.
   */
  void stop() {
    stopped = true;
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed: nothing left to reset
    }
    close();
  }

  boolean stopped() {
    return stopped;
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // a close that fails leaves nothing to do: the socket is unusable either way
    }
  }
}
