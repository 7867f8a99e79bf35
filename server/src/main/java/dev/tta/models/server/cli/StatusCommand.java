package dev.tta.models.server.cli;

import dev.tta.models.management.ProviderStatus;
import dev.tta.models.management.SystemStatus;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks every configured provider now and prints their health. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Check each configured provider's health and count its models.",
      "Exit code 0 when at least one provider is healthy, 1 when none is, 2 for configuration"
          + " problems."
    })
final class StatusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--json", description = "JSON for scripts instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
      SystemStatus status = runtime.management().status();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Tables.json(out, status);
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (ProviderStatus p : status.providers()) {
          rows.add(
              List.of(
                  p.id(),
                  p.type(),
                  p.healthy() ? "healthy" : "unhealthy",
                  Integer.toString(p.models()),
                  p.outOfService().map(why -> "out of service: " + why).orElse(p.detail())));
        }
        Tables.print(out, List.of("PROVIDER", "TYPE", "HEALTH", "MODELS", "DETAIL"), rows);
        out.println(
            status.healthyProviders()
                + " of "
                + status.providers().size()
                + " providers healthy; loaded models: "
                + (status.loadedModels().isEmpty()
                    ? "none"
                    : String.join(", ", status.loadedModels())));
        for (String problem : runtime.startProblems()) {
          out.println("! " + problem);
        }
        out.flush();
      }
      return status.healthyProviders() > 0 ? 0 : MmCommand.EXIT_NO_MODEL;
    }
  }
}
