package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.routing.CandidateSource;
import dev.tta.models.routing.RouteRequest;
import dev.tta.models.routing.RoutedResponse;
import dev.tta.models.routing.RoutedStream;
import dev.tta.models.routing.RoutingException;
import dev.tta.models.server.config.RouteSettings;
import dev.tta.models.server.openai.RequirementHints;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One chat turn through the router, in process: the same selection and fallback as the gateway. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Send one prompt and print the answer; the model that served it goes to stderr.",
      "Exit code 0, 1 when no model meets the requirements, 2 for bad options or configuration,"
          + " 3 when every candidate failed."
    })
final class ChatCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "PROMPT", description = "What to ask.")
  String prompt;

  @Option(
      names = "--task",
      description = "The task, for selection: ${COMPLETION-CANDIDATES}",
      converter = TaskTypeConverter.class,
      completionCandidates = TaskTypeConverter.Names.class)
  TaskType task = TaskType.GENERAL_CHAT;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "provider/model-id or a route name (default: the selector picks).")
  String model;

  @Option(names = "--system", description = "A system prompt.")
  String system;

  @Option(names = "--max-tokens", description = "The most tokens to generate.")
  Integer maxTokens;

  @Option(names = "--stream", description = "Print tokens as they arrive.")
  boolean stream;

  @Override
  public Integer call() {
    try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
      ChatRequest.Builder chat = ChatRequest.builder();
      if (system != null) {
        chat.addMessage(ChatMessage.system(system));
      }
      chat.addMessage(ChatMessage.user(prompt));
      if (maxTokens != null) {
        chat.maxTokens(maxTokens);
      }
      RouteRequest request;
      try {
        request = request(runtime, chat.build());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        if (stream) {
          try (RoutedStream answer = runtime.router().stream(request)) {
            Optional<ChatChunk> next;
            while ((next = answer.next()).isPresent()) {
              out.print(next.get().contentDelta());
              out.flush();
            }
            out.println();
            err.println("served by " + answer.servedBy() + "; " + answer.trace().summary());
          }
        } else {
          RoutedResponse answer = runtime.router().chat(request);
          out.println(answer.response().text());
          err.println("served by " + answer.servedBy() + "; " + answer.trace().summary());
        }
        out.flush();
        err.flush();
        return 0;
      } catch (RoutingException.NoEligibleModel e) {
        err.println(e.getMessage());
        return MmCommand.EXIT_NO_MODEL;
      } catch (RoutingException.AllCandidatesFailed | ProviderException e) {
        err.println("failed: " + e.getMessage());
        return MmCommand.EXIT_FAILED;
      }
    }
  }

  private RouteRequest request(GatewayRuntime runtime, ChatRequest chat) {
    ModelRequirements requirements = RequirementHints.defaultsFor(task);
    if (model == null || model.equals("auto")) {
      return RouteRequest.of(chat, requirements, CandidateSource.byRequirements());
    }
    RouteSettings route = runtime.routes().get(model);
    if (route != null) {
      return RouteRequest.of(chat, route.requirements(), route.source());
    }
    return RouteRequest.of(chat, requirements, CandidateSource.model(ModelKey.parse(model)));
  }
}
