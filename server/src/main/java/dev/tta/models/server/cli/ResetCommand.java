package dev.tta.models.server.cli;

import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.server.config.ConfigReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings a model or a provider back by hand on a running gateway, through its management API: a
 * model's failures are forgotten and its circuit closed; a provider taken out (a refused key that
 * has since been fixed) is back, with its models. Routing state lives in the serving process, so
 * this asks that process rather than starting one of its own.
 */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Bring a model (its failures forgotten, its circuit closed) or a provider (back in service,"
          + " with its models) back on a running gateway.",
      "Exit code 0 when reset, 1 when the gateway does not know it, 2 for bad options, 3 when the"
          + " gateway cannot be reached or refuses the admin key."
    })
final class ResetCommand implements Callable<Integer> {

  /** The variable that names the running gateway when {@code --url} is not given. */
  static final String URL_ENV = "MM_URL";

  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Parameters(
        paramLabel = "MODEL",
        description = "The model to reset, as provider/model-id.",
        arity = "1")
    String model;

    @Option(names = "--provider", paramLabel = "NAME", description = "The provider to reset.")
    String provider;
  }

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The gateway (default: $" + URL_ENV + ", else " + DEFAULT_URL + ").")
  String url;

  @Option(
      names = "--admin-key",
      paramLabel = "KEY",
      description = "The admin key (default: $" + ConfigReader.ADMIN_KEY_ENV + ").")
  String adminKey;

  @Override
  public Integer call() throws InterruptedException {
    JsonMapper json = JsonMapper.builder().build();
    ObjectNode body = json.createObjectNode();
    String path;
    if (target.provider != null) {
      body.put("provider", target.provider);
      path = "/api/v1/models/providers/reset";
    } else {
      body.put("model", target.model);
      path = "/api/v1/models/failures/reset";
    }
    String base = url != null ? url : System.getenv().getOrDefault(URL_ENV, DEFAULT_URL);
    String key = adminKey != null ? adminKey : System.getenv(ConfigReader.ADMIN_KEY_ENV);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    if (key != null && !key.isBlank()) {
      request.header("Authorization", "Bearer " + key);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      err.println("mm: cannot reach the gateway at " + base + " (" + OpenAiErrors.reason(e) + ")");
      err.flush();
      return MmCommand.EXIT_FAILED;
    }
    String what = target.provider != null ? "provider " + target.provider : target.model;
    int status = response.statusCode();
    if (status / 100 == 2) {
      out.println(what + ": reset");
      out.flush();
      return 0;
    }
    String message = errorMessage(json, response.body());
    err.println("mm: the gateway refused to reset " + what + " (HTTP " + status + "): " + message);
    err.flush();
    return status == 401 || status == 403 ? MmCommand.EXIT_FAILED : MmCommand.EXIT_NO_MODEL;
  }

  private static String errorMessage(JsonMapper json, String body) {
    try {
      String message = json.readTree(body).at("/error/message").asString();
      return message.isEmpty() ? body : message;
    } catch (RuntimeException e) {
      return body;
    }
  }
}
