package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedResponseTest {

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parseHttp_statusHeadersAndTheBodyAsIs() {
    RecordedResponse response =
        RecordedResponse.parseHttp(
            bytes(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json; charset=utf-8\r\n"
                    + "Access-Control-Allow-Origin: \r\nContent-Length: 2\r\n\r\n{}\r\n\r\nrest"));

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.headers())
        .containsExactly(
            Map.entry("Content-Type", "application/json; charset=utf-8"),
            Map.entry("Access-Control-Allow-Origin", ""),
            Map.entry("Content-Length", "2"));
    assertThat(response.bodyText()).isEqualTo("{}\r\n\r\nrest");
    assertThat(response.header("content-type")).contains("application/json; charset=utf-8");
    assertThat(response.header("x-missing")).isEmpty();
    assertThat(response.isEventStream()).isFalse();
  }

  @Test
  void parseHttp_eventStream_recognised() {
    RecordedResponse response =
        RecordedResponse.parseHttp(
            bytes("HTTP/1.1 200 OK\r\nContent-Type: Text/Event-Stream\r\n\r\ndata: x\n\n"));

    assertThat(response.isEventStream()).isTrue();
    assertThat(response.body()).isEqualTo(bytes("data: x\n\n"));
  }

  @Test
  void parseHttp_malformed_refused() {
    assertThatThrownBy(() -> RecordedResponse.parseHttp(bytes("HTTP/1.1 200 OK\n\nbody")))
        .hasMessage("raw response: no blank line ends the head");
    assertThatThrownBy(() -> RecordedResponse.parseHttp(bytes("200 OK\r\n\r\n")))
        .hasMessage("raw response: bad status line '200 OK'");
    assertThatThrownBy(() -> RecordedResponse.of(600, "text/plain", new byte[0]))
        .hasMessage("status: must be 100-599, was 600");
  }

  @Test
  void recordedLlamaResponse_bodyIsTheBytesAfterTheHead() {
    byte[] raw = FixtureSet.shared("llama-server").bytes("health.response.http");

    RecordedResponse response = RecordedResponse.parseHttp(raw);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Server")).contains("llama.cpp");
    assertThat(response.bodyText()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void valueSemantics() {
    RecordedResponse a = RecordedResponse.of(200, "text/plain", bytes("x"));
    byte[] body = a.body();
    body[0] = 'y';

    assertThat(a.bodyText()).isEqualTo("x");
    assertThat(a).isEqualTo(RecordedResponse.of(200, "text/plain", bytes("x")));
    assertThat(a.hashCode())
        .isEqualTo(RecordedResponse.of(200, "text/plain", bytes("x")).hashCode());
    assertThat(a).isNotEqualTo(RecordedResponse.of(200, "text/plain", bytes("y")));
    assertThat(a.toString()).isEqualTo("RecordedResponse[200, 1 bytes]");
  }

  @Test
  void recordedRequest_parseHttp() {
    RecordedRequest request =
        RecordedRequest.parseHttp(
            bytes(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer sk-x\r\n"
                    + "Content-Type: application/json\r\n\r\n{\"a\":1}"));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("AUTHORIZATION")).contains("Bearer sk-x");
    assertThat(request.bodyText()).isEqualTo("{\"a\":1}");
    assertThat(request.toString()).isEqualTo("POST /v1/chat/completions (7 bytes)");
    assertThat(request)
        .isEqualTo(
            RecordedRequest.parseHttp(
                bytes(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer sk-x\r\n"
                        + "Content-Type: application/json\r\n\r\n{\"a\":1}")));
    assertThatThrownBy(() -> RecordedRequest.parseHttp(bytes("GET\r\n\r\n")))
        .hasMessage("raw request: bad request line 'GET'");
    assertThatThrownBy(() -> RecordedRequest.parseHttp(bytes("GET / HTTP/1.1")))
        .hasMessage("raw request: no blank line ends the head");
  }
}
