package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.http.RequestLog;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the gateway until the process is told to stop, then drains and closes. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the OpenAI-compatible gateway (and the management API, health and metrics).",
      "Without a configuration it serves the embedded default: a built-in tiny local model,"
          + " Ollama / LM Studio when running, cloud providers whose key variables are set.",
      "Exit code 2 when the configuration has problems (all are listed)."
    })
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = "--port",
      description = "Port to listen on (overrides server.port; 0 = any free).")
  Integer port;

  @Option(names = "--host", description = "Address to listen on (overrides server.host).")
  String host;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "The line logged per request: text (key=value after the log prefix, on standard error;"
              + " the default) or json (one object per line on standard output, with the banner"
              + " moved to standard error).")
  RequestLog.Format logFormat = RequestLog.Format.TEXT;

  @Override
  public Integer call() throws InterruptedException {
    GatewayServer server = start(System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "mm-shutdown"));
    stopped.await();
    return 0;
  }

  /** Starts the gateway and prints the banner; the caller owns the returned server. */
  GatewayServer start(Map<String, String> env) {
    GatewayConfig loaded = config.load(env);
    if (port != null) {
      loaded = loaded.withServer(loaded.server().withPort(port));
    }
    if (host != null) {
      loaded = loaded.withServer(loaded.server().withHost(host));
    }
    GatewayRuntime runtime = GatewayRuntime.startPersistent(loaded);
    boolean json = logFormat == RequestLog.Format.JSON;
    GatewayServer server;
    try {
      server = GatewayServer.start(runtime, json ? RequestLog.json(System.out) : RequestLog.text());
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    // standard output then carries JSON lines alone, for a collector
    banner(json ? spec.commandLine().getErr() : spec.commandLine().getOut(), server);
    return server;
  }

  private static void banner(PrintWriter out, GatewayServer server) {
    GatewayRuntime runtime = server.runtime();
    GatewayConfig config = runtime.config();
    String base = "http://" + hostForUrl(config.server().host()) + ":" + server.port();
    out.println("mm gateway listening on " + base + "  (configuration: " + config.source() + ")");
    GatewayRuntime.Catalog catalog = runtime.catalog();
    for (ProviderSettings provider : config.providers()) {
      long models =
          catalog.models().stream()
              .map(ModelInfo::providerId)
              .filter(provider.id()::equals)
              .count();
      out.println(
          "  provider "
              + provider.id()
              + " ("
              + provider.type()
              + ", "
              + provider.location()
              + "): "
              + models
              + (models == 1 ? " model" : " models"));
    }
    for (String problem : runtime.startProblems()) {
      out.println("  ! " + problem);
    }
    for (String problem : catalog.unavailable()) {
      out.println("  ! cannot list " + problem);
    }
    for (Map.Entry<String, ?> route : config.routes().entrySet()) {
      out.println("  route " + route.getKey());
    }
    runtime
        .history()
        .ifPresent(
            history ->
                out.println(
                    "  history: "
                        + history.description()
                        + runtime
                            .restored()
                            .map(r -> " (" + r.calls() + " calls of the last day restored)")
                            .orElse("")));
    out.println(
        "  routing state: "
            + runtime.routingState().status().backend()
            + (runtime.routingState().status().location().isEmpty()
                ? ""
                : " " + runtime.routingState().status().location()));
    for (String notice : config.notices()) {
      out.println("NOTE: " + notice);
    }
    if (config.auth().open()) {
      out.println(
          "NOTE: no API key is configured (development mode): anyone on this machine may call it.");
    }
    out.println("OpenAI-compatible API: " + base + "/v1   Try:");
    out.println(
        "  curl -s "
            + base
            + "/v1/chat/completions -H 'Content-Type: application/json' -d '{\"model\":\"auto\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
    out.println("Dashboard: " + base + "/dashboard");
    out.println("Stop with Ctrl-C (requests in flight are finished first).");
    out.flush();
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
