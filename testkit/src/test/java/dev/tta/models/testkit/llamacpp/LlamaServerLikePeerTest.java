package dev.tta.models.testkit.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peer spoken to over a plain socket, so that what it reads and writes is seen as bytes: its
 * answers in llama-server's shape, and the reads each request took.
 */
class LlamaServerLikePeerTest {

  private static final String TEXT =
      "Hello there, traveller. The door creaks open onto a quiet hall of stone.";

  private final LlamaServerLikePeer peer = LlamaServerLikePeer.start();

  @AfterEach
  void close() {
    peer.close();
  }

  @Test
  void aWholeAnswer_isTheFixedTextWithItsLengthAndUsage_andARequestSentAtOnceTakesOneRead()
      throws IOException {
    try (Socket socket = connect()) {
      send(socket, request("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}"));
      Reply reply = Reply.read(socket.getInputStream());

      assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(reply.header("content-type")).isEqualTo("application/json; charset=utf-8");
      assertThat(reply.header("server")).isEqualTo("llama.cpp");
      assertThat(reply.body())
          .contains("\"content\":\"" + TEXT + "\"")
          .contains("\"finish_reason\":\"length\"")
          .contains("\"usage\":{\"completion_tokens\":16,\"prompt_tokens\":56,\"total_tokens\":72}")
          .contains("\"model\":\"tiny-random\"")
          .contains("\"object\":\"chat.completion\"");
    }
    assertThat(peer.readsPerRequest()).containsExactly(1);
    assertThat(peer.baseUrl()).hasToString("http://127.0.0.1:" + peer.port() + "/v1/");
  }

  @Test
  void aStream_isSixteenTokensThenTheFinishWithUsageThenDone_inChunkedEncoding()
      throws IOException {
    try (Socket socket = connect()) {
      send(
          socket,
          request("/v1/chat/completions", "{\"model\": \"m\", \"stream\": true, \"messages\":[]}"));
      Reply reply = Reply.read(socket.getInputStream());

      assertThat(reply.header("content-type")).isEqualTo("text/event-stream");
      assertThat(reply.header("transfer-encoding")).isEqualTo("chunked");
      String[] events = reply.body().split("\n\n");
      assertThat(events).hasSize(18);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        String content = events[i].replaceFirst("^data: .*\"delta\":\\{\"content\":\"", "");
        text.append(content, 0, content.indexOf("\"}"));
        assertThat(events[i]).contains("\"finish_reason\":null");
      }
      assertThat(text).hasToString(TEXT);
      assertThat(events[16])
          .contains("\"finish_reason\":\"length\"")
          .contains("\"delta\":{}")
          .contains("\"total_tokens\":72");
      assertThat(events[17]).isEqualTo("data: [DONE]");
    }
  }

  @Test
  void requestsOnOneConnection_areAnsweredInTurn_andABodyBeyondTheBufferTakesMoreReads()
      throws IOException {
    String large =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(10_000) + "\"}]}";
    try (Socket socket = connect()) {
      send(socket, request("/v1/chat/completions", "{}"));
      assertThat(Reply.read(socket.getInputStream()).statusLine()).endsWith("200 OK");
      send(socket, request("/v1/chat/completions", large));
      assertThat(Reply.read(socket.getInputStream()).statusLine()).endsWith("200 OK");
    }
    assertThat(peer.connectionsAccepted()).isEqualTo(1);
    // 10,000 bytes and more through a buffer of 4,096 need three reads at least
    assertThat(peer.readsPerRequest()).hasSize(2);
    assertThat(peer.readsPerRequest().get(1)).isGreaterThanOrEqualTo(3);
    assertThat(peer.toString()).contains("port " + peer.port());
  }

  @Test
  void anotherPath_isA404InLlamaServersShape() throws IOException {
    try (Socket socket = connect()) {
      send(socket, "GET /v1/models HTTP/1.1\r\nHost: peer\r\n\r\n");
      Reply reply = Reply.read(socket.getInputStream());

      assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
      assertThat(reply.body())
          .isEqualTo(
              "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}");
    }
  }

  @Test
  void close_closesTheOpenConnections_andTheListener() throws IOException {
    Socket socket = connect();
    send(socket, request("/v1/chat/completions", "{}"));
    Reply.read(socket.getInputStream());
    int port = peer.port();

    peer.close();

    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    socket.close();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), peer.port());
  }

  private static String request(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: peer\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static void send(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One HTTP/1.1 answer, its body read by its length or as chunks. */
  private record Reply(String statusLine, String head, String body) {

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    static Reply read(InputStream in) throws IOException {
      String head = line(in);
      String statusLine = head;
      StringBuilder headers = new StringBuilder();
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        headers.append(line).append("\r\n");
      }
      Reply partial = new Reply(statusLine, headers.toString(), "");
      String length = partial.header("content-length");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (length != null) {
        body.writeBytes(in.readNBytes(Integer.parseInt(length)));
      } else {
        for (int size = Integer.parseInt(line(in), 16);
            size > 0;
            size = Integer.parseInt(line(in), 16)) {
          body.writeBytes(in.readNBytes(size));
          line(in);
        }
        line(in);
      }
      return new Reply(statusLine, headers.toString(), body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("the connection closed inside a line");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.UTF_8);
    }
  }
}
