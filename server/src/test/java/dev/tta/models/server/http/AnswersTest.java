package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers written straight to the response keep what Javalin's own {@code result(...)} gave: the
 * status, the type, a length, and compression for a client that accepts it.
 */
class AnswersTest {

  /** Javalin compresses bodies of 1,500 bytes and more; this one is 4,011 bytes as JSON. */
  private static final String TEXT = "x".repeat(4_000);

  private static final String BODY = "{\"text\":\"" + TEXT + "\"}";

  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin app;

  @BeforeEach
  void start() {
    app =
        Javalin.create(
                config ->
                    config.routes.get(
                        "/answer",
                        ctx ->
                            Answers.json(
                                ctx, 201, JsonMapper.builder().build(), Map.of("text", TEXT))))
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void aWholeAnswer_hasItsStatusTypeAndLength() throws Exception {
    HttpResponse<byte[]> response = get(null);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("Content-Length")).contains("4011");
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
  }

  @Test
  void aClientThatAcceptsGzip_getsTheAnswerCompressed() throws Exception {
    HttpResponse<byte[]> response = get("gzip");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(response.body().length).isLessThan(BODY.length());
    assertThat(gunzip(response.body())).isEqualTo(BODY);
  }

  private HttpResponse<byte[]> get(String acceptEncoding) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/answer"));
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
