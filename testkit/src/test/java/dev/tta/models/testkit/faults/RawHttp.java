package dev.tta.models.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client on a plain socket, for the tests where the exact bytes and the way a connection ends
 * matter: it reads a response head, the chunks of a chunked body one by one, and tells an end of
 * stream from a reset and from silence.
 */
final class RawHttp implements AutoCloseable {

  private static final int PATIENCE_MILLIS = 5_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long received;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(PATIENCE_MILLIS);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(FaultyUpstream upstream) throws IOException {
    return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), upstream.port()));
  }

  /** A chat request with its body's {@code Content-Length}. */
  static String post(String body) {
    return "POST /v1/chat/completions HTTP/1.1\r\n"
        + "Host: upstream.test\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: upstream.test\r\n\r\n";
  }

  void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * The status line and headers, up to and including the blank line; starts counting body bytes.
   */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(next());
    }
    received = 0;
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** One chunk's data; null for the last, empty chunk (read with its closing CRLF). */
  String readChunk() throws IOException {
    String sizeLine = readLine();
    int size = Integer.parseInt(sizeLine, 16);
    if (size == 0) {
      assertThat(readLine()).as("the line after the last chunk").isEmpty();
      return null;
    }
    String data = new String(readBytes(size), StandardCharsets.UTF_8);
    assertThat(readLine()).as("the CRLF after a chunk of " + size + " bytes").isEmpty();
    return data;
  }

  /** The text of the chunks that bring at least {@code count} characters, or of all of them. */
  String readChunksOf(int count) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String chunk = readChunk(); chunk != null; chunk = readChunk()) {
      text.append(chunk);
      if (text.length() >= count) {
        break;
      }
    }
    return text.toString();
  }

  byte[] readBytes(int count) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      bytes.write(next());
    }
    return bytes.toByteArray();
  }

  /** Everything until the upstream closes the connection. */
  byte[] readToEnd() throws IOException {
    byte[] rest = in.readAllBytes();
    received += rest.length;
    return rest;
  }

  /** The next read: -1 for an end of stream; a reset throws. */
  int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      received++;
    }
    return b;
  }

  /** Whether nothing at all arrives (no byte, no end, no reset) for this long. */
  boolean silentFor(Duration duration) throws IOException {
    socket.setSoTimeout((int) duration.toMillis());
    try {
      in.read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(PATIENCE_MILLIS);
    }
  }

  /** Bytes read since the last head. */
  long bodyBytesReceived() {
    return received;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = next(); b != '\n'; b = next()) {
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    assertThat(text).as("a line ending in CRLF").endsWith("\r");
    return text.substring(0, text.length() - 1);
  }

  private int next() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the upstream closed the connection");
    }
    received++;
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
