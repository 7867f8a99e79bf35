package dev.tta.models.server.cli;

import dev.tta.models.providers.openai.OpenAiErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request from a command to a running gateway's management API. Routing state, spend and
 * budgets live in the serving process, so the commands that read or change them ask that process
 * rather than starting a runtime of their own; they share how the gateway is found, how the key is
 * sent and how a failure to reach it is told.
 */
final class GatewayCall {

  /** The variable that names the running gateway when {@code --url} is not given. */
  static final String URL_ENV = "MM_URL";

  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** How a call ended: the gateway answered, or it could not be asked. */
  sealed interface Outcome permits Answer, NotAsked {}

  /** What the gateway answered. */
  record Answer(int status, String body) implements Outcome {

    boolean succeeded() {
      return status / 100 == 2;
    }

    /** The OpenAI-shaped error's message, or the whole body when it holds none. */
    String errorMessage() {
      try {
        String message =
            JsonMapper.builder().build().readTree(body).at("/error/message").asString();
        return message.isEmpty() ? body : message;
      } catch (RuntimeException notJson) {
        return body;
      }
    }
  }

  /**
   * The gateway could not be asked, already told on the command's error stream: {@code exitCode} is
   * {@link MmCommand#EXIT_CONFIG} when its address is not a URL, {@link MmCommand#EXIT_FAILED} when
   * nothing answered there.
   */
  record NotAsked(int exitCode) implements Outcome {}

  /** The {@code --url} option of every command that asks a running gateway. */
  static final class UrlOption {
    @Option(
        names = "--url",
        paramLabel = "URL",
        description = "The gateway (default: $" + URL_ENV + ", else " + DEFAULT_URL + ").")
    String url;
  }

  private GatewayCall() {}

  /**
   * Sends {@code GET} (when {@code jsonBody} is null) or {@code POST} of {@code jsonBody} to {@code
   * pathAndQuery} on the gateway at {@code url} (else {@code $MM_URL}, else the default), with
   * {@code credential} as its bearer key when there is one.
   */
  static Outcome send(
      String url, String credential, String pathAndQuery, String jsonBody, PrintWriter err)
      throws InterruptedException {
    String base = url != null ? url : System.getenv().getOrDefault(URL_ENV, DEFAULT_URL);
    URI target;
    try {
      target = URI.create(base.replaceAll("/+$", "") + pathAndQuery);
    } catch (IllegalArgumentException e) {
      err.println("mm: the gateway's address (--url or $" + URL_ENV + ") is not a URL: " + base);
      err.flush();
      return new NotAsked(MmCommand.EXIT_CONFIG);
    }
    if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())
        || target.getHost() == null) {
      err.println(
          "mm: the gateway's address (--url or $"
              + URL_ENV
              + ") must be an http:// or https:// URL with a host, was: "
              + base);
      err.flush();
      return new NotAsked(MmCommand.EXIT_CONFIG);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT);
    if (jsonBody == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    if (credential != null && !credential.isBlank()) {
      request.header("Authorization", "Bearer " + credential);
    }
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      err.println("mm: cannot reach the gateway at " + base + " (" + OpenAiErrors.reason(e) + ")");
      err.flush();
      return new NotAsked(MmCommand.EXIT_FAILED);
    }
  }
}
