package dev.tta.models.server.cli;

import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.server.config.ConfigReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What API keys spent, asked of a running gateway ({@code GET /api/v1/spend}): spend lives in the
 * serving process's history and shared counters, so this asks that process, as {@code mm reset}
 * does.
 */
@Command(
    name = "spend",
    mixinStandardHelpOptions = true,
    description = {
      "Show what API keys spent in the current UTC day, week, month, or in total, with their"
          + " budgets, on a running gateway.",
      "Exit code 0 when shown, 2 for bad options, 3 when the gateway cannot be reached or refuses"
          + " the key."
    })
final class SpendCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      paramLabel = "NAME",
      description = "Only this key (by its name in auth.client_keys).")
  String key;

  @Option(
      names = "--window",
      paramLabel = "W",
      description = "day, week, month or total (default: the key's budget period, else month).")
  String window;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The gateway (default: $"
              + ResetCommand.URL_ENV
              + ", else "
              + ResetCommand.DEFAULT_URL
              + ").")
  String url;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "The key to ask with: the admin key reads every key, a client key its own (default: $"
              + ConfigReader.ADMIN_KEY_ENV
              + ").")
  String apiKey;

  @Option(names = "--json", description = "Print the gateway's JSON as it is.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    List<String> query = new ArrayList<>();
    if (key != null) {
      query.add("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    }
    if (window != null) {
      query.add("window=" + URLEncoder.encode(window, StandardCharsets.UTF_8));
    }
    String base =
        url != null
            ? url
            : System.getenv().getOrDefault(ResetCommand.URL_ENV, ResetCommand.DEFAULT_URL);
    String credential = apiKey != null ? apiKey : System.getenv(ConfigReader.ADMIN_KEY_ENV);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    base.replaceAll("/+$", "")
                        + "/api/v1/spend"
                        + (query.isEmpty() ? "" : "?" + String.join("&", query))))
            .timeout(TIMEOUT)
            .GET();
    if (credential != null && !credential.isBlank()) {
      request.header("Authorization", "Bearer " + credential);
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
    JsonMapper mapper = JsonMapper.builder().build();
    if (response.statusCode() / 100 != 2) {
      String message;
      try {
        message = mapper.readTree(response.body()).at("/error/message").asString();
      } catch (RuntimeException e) {
        message = response.body();
      }
      err.println("mm: the gateway refused (HTTP " + response.statusCode() + "): " + message);
      err.flush();
      return response.statusCode() == 400 ? MmCommand.EXIT_CONFIG : MmCommand.EXIT_FAILED;
    }
    if (json) {
      out.println(response.body());
      out.flush();
      return 0;
    }
    JsonNode report = mapper.readTree(response.body());
    out.println(
        report.path("to").isNull()
            ? "spend in total"
            : "spend in the "
                + report.path("window").asString()
                + " from "
                + report.path("from").asString()
                + " to "
                + report.path("to").asString());
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode entry : report.path("keys")) {
      JsonNode budget = entry.path("budget");
      boolean has = budget.isObject();
      rows.add(
          List.of(
              entry.path("key").asString(),
              usd(entry.path("spent_usd").asDouble()),
              has ? usd(budget.path("usd").asDouble()) + " " + period(budget) : "-",
              has ? usd(budget.path("remaining_usd").asDouble()) : "-",
              has && !budget.path("renews_at").isNull()
                  ? budget.path("renews_at").asString()
                  : "-"));
    }
    Tables.print(out, List.of("KEY", "SPENT USD", "BUDGET", "REMAINING USD", "RENEWS AT"), rows);
    out.flush();
    return 0;
  }

  private static String period(JsonNode budget) {
    String per = budget.path("per").asString();
    return per.equals("total") ? "in total" : "per " + per;
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
