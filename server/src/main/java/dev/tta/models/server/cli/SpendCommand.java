package dev.tta.models.server.cli;

import dev.tta.models.server.config.ConfigReader;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin GatewayCall.UrlOption gateway;

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
    String credential = apiKey != null ? apiKey : System.getenv(ConfigReader.ADMIN_KEY_ENV);
    String path = "/api/v1/spend" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatewayCall.Answer answer;
    switch (GatewayCall.send(gateway.url, credential, path, null, err)) {
      case GatewayCall.NotAsked notAsked -> {
        return notAsked.exitCode();
      }
      case GatewayCall.Answer answered -> answer = answered;
    }
    if (!answer.succeeded()) {
      err.println(
          "mm: the gateway refused (HTTP " + answer.status() + "): " + answer.errorMessage());
      err.flush();
      return answer.status() == 400 ? MmCommand.EXIT_CONFIG : MmCommand.EXIT_FAILED;
    }
    if (json) {
      out.println(answer.body());
      out.flush();
      return 0;
    }
    JsonNode report = JsonMapper.builder().build().readTree(answer.body());
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
