package dev.tta.models.server.cli;

import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows the configured providers without contacting them (keys are never shown). */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    description = {
      "List the configured providers: name, type and where their models are.",
      "Nothing is contacted; `mm status` checks health. Exit code 0, or 2 for configuration"
          + " problems."
    })
final class ProvidersCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--json", description = "JSON for scripts instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    GatewayConfig loaded = config.load(System.getenv());
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, String>> entries = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (ProviderSettings p : loaded.providers()) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("name", p.id().value());
      entry.put("type", p.type().name());
      entry.put("location", p.location());
      entries.add(entry);
      rows.add(List.of(p.id().value(), p.type().name(), p.location()));
    }
    if (json) {
      Tables.json(out, Map.of("source", loaded.source(), "providers", entries));
    } else {
      out.println("Configuration: " + loaded.source());
      Tables.print(out, List.of("NAME", "TYPE", "LOCATION"), rows);
    }
    out.flush();
    return 0;
  }
}
