package dev.tta.models.server.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client of the gateway on a plain socket: it sees bytes as they arrive, where an HTTP client
 * hands over a stream only in its own time, and it can hang up whenever the test says.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  RawClient(int port, String body) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout((int) GatewayFaults.WAIT.toMillis());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + Gateway.CHAT
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    in = socket.getInputStream();
  }

  /** Reads until what came back contains every one of {@code texts}. */
  String readUntil(List<String> texts) throws IOException {
    byte[] buffer = new byte[1024];
    while (!texts.stream().allMatch(received.toString(StandardCharsets.UTF_8)::contains)) {
      int count = in.read(buffer);
      if (count < 0) {
        throw new IOException("the gateway closed the connection: " + received);
      }
      received.write(buffer, 0, count);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Hangs up; returns when, on the {@link System#nanoTime()} clock. */
  long hangUp() throws IOException {
    socket.close();
    return System.nanoTime();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
