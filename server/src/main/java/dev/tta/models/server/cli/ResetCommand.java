package dev.tta.models.server.cli;

import dev.tta.models.server.config.ConfigReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin GatewayCall.UrlOption gateway;

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
    String key = adminKey != null ? adminKey : System.getenv(ConfigReader.ADMIN_KEY_ENV);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatewayCall.Answer answer;
    switch (GatewayCall.send(gateway.url, key, path, json.writeValueAsString(body), err)) {
      case GatewayCall.NotAsked notAsked -> {
        return notAsked.exitCode();
      }
      case GatewayCall.Answer answered -> answer = answered;
    }
    String what = target.provider != null ? "provider " + target.provider : target.model;
    int status = answer.status();
    if (answer.succeeded()) {
      out.println(what + ": reset");
      out.flush();
      return 0;
    }
    err.println(
        "mm: the gateway refused to reset "
            + what
            + " (HTTP "
            + status
            + "): "
            + answer.errorMessage());
    err.flush();
    return status == 401 || status == 403 ? MmCommand.EXIT_FAILED : MmCommand.EXIT_NO_MODEL;
  }
}
