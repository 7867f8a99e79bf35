package dev.tta.models.server.openai;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.Usage;
import dev.tta.models.history.Budgets;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.routing.Cancellation;
import dev.tta.models.routing.CandidateSource;
import dev.tta.models.routing.RequestOrigin;
import dev.tta.models.routing.RouteRequest;
import dev.tta.models.routing.RoutedResponse;
import dev.tta.models.routing.RoutedStream;
import dev.tta.models.routing.RoutingException;
import dev.tta.models.routing.RoutingTrace;
import dev.tta.models.routing.SkippedModel;
import dev.tta.models.server.auth.ApiKeys;
import dev.tta.models.server.auth.KeyAuthentication;
import dev.tta.models.server.config.RouteSettings;
import dev.tta.models.server.http.Answers;
import dev.tta.models.server.http.RequestLog;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.server.telemetry.RequestSpan;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI-compatible surface: {@code POST /v1/chat/completions} (JSON and server-sent events)
 * and {@code GET /v1/models}. A request's {@code model} is a model key ({@code ollama/llama3.2}), a
 * route name, or {@code auto}; the answer names the model that served it, and the {@code X-MM-*}
 * headers say how routing got there.
 */
public final class OpenAiApi {

  public static final String CHAT_PATH = "/v1/chat/completions";
  public static final String MODELS_PATH = "/v1/models";

  /** The model name that lets the selector pick among every model. */
  public static final String AUTO = "auto";

  public static final String SERVED_MODEL_HEADER = "X-MM-Served-Model";
  public static final String ATTEMPTS_HEADER = "X-MM-Attempts";
  public static final String TRACE_HEADER = "X-MM-Route-Trace";
  public static final String IGNORED_HEADER = "X-MM-Ignored-Fields";

  /** The field of a stream's last chunk (and of its error event) that says how routing went. */
  public static final String ROUTING_FIELD = "mm_routing";

  private static final String CANCELLED = ErrorClass.CANCELLED.wireName();
  private static final String CLIENT_LEFT = "the client closed its connection";

  /** nginx's status for a request whose client closed the connection before the answer. */
  private static final int CLIENT_CLOSED = 499;

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiApi.class);
  private static final int MAX_HEADER_CHARS = 2_000;
  private static final HexFormat HEX = HexFormat.of();

  private final GatewayRuntime runtime;
  private final ObjectMapper mapper;
  private final ChatCompletionReader reader;
  private final ChatCompletionJson json;

  public OpenAiApi(GatewayRuntime runtime, ObjectMapper mapper) {
    this.runtime = runtime;
    this.mapper = mapper;
    this.reader = new ChatCompletionReader(mapper);
    this.json = new ChatCompletionJson(mapper);
  }

  public void register(JavalinDefaultRoutingApi routes) {
    routes.post(CHAT_PATH, this::chat);
    routes.get(MODELS_PATH, this::models);
  }

  private void models(Context ctx) {
    GatewayRuntime.Catalog catalog = runtime.catalog();
    ObjectNode root = mapper.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    long created = runtime.startedAt().getEpochSecond();
    for (ModelInfo model : catalog.models()) {
      ObjectNode entry = data.addObject();
      entry.put("id", model.key().toString());
      entry.put("object", "model");
      entry.put("created", created);
      entry.put("owned_by", model.providerId().value());
    }
    for (String route : runtime.routes().keySet()) {
      ObjectNode entry = data.addObject();
      entry.put("id", route);
      entry.put("object", "model");
      entry.put("created", created);
      entry.put("owned_by", "route");
    }
    ObjectNode auto = data.addObject();
    auto.put("id", AUTO);
    auto.put("object", "model");
    auto.put("created", created);
    auto.put("owned_by", "route");
    Answers.write(ctx.contentType(Answers.JSON), mapper.writeValueAsBytes(root));
  }

  private void chat(Context ctx) throws IOException {
    long started = System.nanoTime();
    ChatCompletionCall call = reader.read(ctx.body(), ctx::header);
    ctx.attribute(RequestLog.REQUESTED_MODEL, call.model());
    try (RequestSpan span =
        runtime.tracing().request(ctx.method().name(), CHAT_PATH, call.model())) {
      try {
        chat(ctx, call, span, started);
      } catch (OpenAiError e) {
        // refused before routing (an unknown model, a bad chain); a routing failure was
        // recorded with its error class where it happened, and the first finish counts
        span.finish(e.status(), "", e.code(), Optional.empty());
        throw e;
      }
    }
  }

  private void chat(Context ctx, ChatCompletionCall call, RequestSpan span, long started)
      throws IOException {
    Optional<String> client = KeyAuthentication.identity(ctx).map(ApiKeys.Identity::name);
    client.flatMap(name -> runtime.budgets().check(name)).ifPresent(OpenAiApi::refuse);
    Cancellation cancellation = new Cancellation();
    // an answer's id needs to be unique, not unguessable: no SecureRandom on every request
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String id =
        "chatcmpl-" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    RouteRequest request =
        route(call)
            .withCancellation(cancellation)
            .withOrigin(new RequestOrigin(id, call.model(), client));
    if (!call.ignoredFields().isEmpty()) {
      // the names are the client's own, any characters at all
      ctx.header(IGNORED_HEADER, headerSafe(String.join(",", call.ignoredFields())));
    }
    long created = System.currentTimeMillis() / 1000;
    ClientDisconnect watch = ClientDisconnect.watch(ctx, () -> cancellation.cancel(CLIENT_LEFT));
    try {
      if (call.stream()) {
        stream(ctx, call, span, request, id, created, started);
        return;
      }
      RoutedResponse answer;
      try {
        answer = runtime.router().chat(request);
      } catch (RoutingException e) {
        int attempts = e.trace().attempts().size();
        if (cancellation.isCancelled()) {
          finished(ctx, span, CLIENT_CLOSED, "", CANCELLED, attempts, Optional.empty());
          runtime.metrics().request(call.model(), "", CANCELLED, elapsed(started));
          LOG.debug("client left before its answer: {}", e.getMessage());
          return;
        }
        OpenAiError error = asError(e);
        finished(ctx, span, error.status(), "", outcome(e), attempts, Optional.empty());
        runtime.metrics().request(call.model(), "", outcome(e), elapsed(started));
        throw error;
      }
      String served = answer.servedBy().toString();
      runtime.awaitHistory();
      traceHeaders(ctx, answer.trace());
      Answers.write(
          ctx.contentType(Answers.JSON),
          mapper.writeValueAsBytes(json.completion(id, created, served, answer.response())));
      finished(
          ctx,
          span,
          200,
          served,
          "success",
          answer.trace().attempts().size(),
          answer.response().usage());
      runtime.metrics().request(call.model(), served, "success", elapsed(started));
    } finally {
      watch.close();
    }
  }

  private void stream(
      Context ctx,
      ChatCompletionCall call,
      RequestSpan span,
      RouteRequest request,
      String id,
      long created,
      long started)
      throws IOException {
    RoutedStream stream;
    try {
      stream = runtime.router().stream(request);
    } catch (RoutingException e) {
      int attempts = e.trace().attempts().size();
      if (request.cancellation().isCancelled()) {
        finished(ctx, span, CLIENT_CLOSED, "", CANCELLED, attempts, Optional.empty());
        runtime.metrics().request(call.model(), "", CANCELLED, elapsed(started));
        LOG.debug("client left before the first token: {}", e.getMessage());
        return;
      }
      OpenAiError error = asError(e);
      finished(ctx, span, error.status(), "", outcome(e), attempts, Optional.empty());
      runtime.metrics().request(call.model(), "", outcome(e), elapsed(started));
      throw error;
    }
    String first = stream.servedBy().toString();
    String outcome = "success";
    try (stream) {
      traceHeaders(ctx, stream.trace(), stream.trace().attempts().size() + 1);
      ctx.status(200);
      ctx.res().setContentType("text/event-stream");
      ctx.res().setCharacterEncoding("utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      OutputStream out = ctx.res().getOutputStream();
      // goes out with the first token, which has arrived by now: one write to the client, not two
      write(out, mapper.writeValueAsString(json.roleChunk(id, created, first)));
      ChatChunk finish = null;
      try {
        Optional<ChatChunk> next;
        while ((next = stream.next()).isPresent()) {
          ChatChunk chunk = next.get();
          if (chunk.finishReason().isPresent()) {
            // held back, so that the last chunk carries the usage and the routing summary
            finish = finish == null ? chunk : finish;
            if (chunk.hasOutput()) {
              send(out, mapper.writeValueAsString(json.chunk(id, created, first, output(chunk))));
            }
          } else if (chunk.hasOutput()) {
            send(out, mapper.writeValueAsString(json.chunk(id, created, first, chunk)));
          }
        }
      } catch (ProviderException e) {
        outcome = e.errorClass().wireName();
        OpenAiError error =
            upstreamError(
                e.errorClass(), "the stream from " + first + " failed: " + e.getMessage());
        ObjectNode body = mapper.valueToTree(error.body());
        body.set(ROUTING_FIELD, routing(stream, Optional.empty()));
        send(out, mapper.writeValueAsString(body));
        return;
      }
      runtime.awaitHistory();
      finish(out, call, stream, id, created, finish);
      send(out, "[DONE]");
    } catch (IOException e) {
      // the client went away; closing the stream (try-with-resources) cancels the upstream call
      outcome = CANCELLED;
      LOG.debug("client left a stream from {}: {}", first, e.getMessage());
    } finally {
      if (request.cancellation().isCancelled()) {
        outcome = CANCELLED;
      }
      finished(
          ctx,
          span,
          200,
          stream.servedBy().toString(),
          outcome,
          stream.trace().attempts().size(),
          stream.usage());
      runtime
          .metrics()
          .request(call.model(), stream.servedBy().toString(), outcome, elapsed(started));
    }
  }

  /**
   * The last chunks: the finish reason, with the answer's usage on it or, when the client asked for
   * usage the way OpenAI defines it, in a usage chunk of its own after it; either way the last
   * chunk names the model that finished the answer and says how routing got there.
   */
  private void finish(
      OutputStream out,
      ChatCompletionCall call,
      RoutedStream stream,
      String id,
      long created,
      ChatChunk finish)
      throws IOException {
    String served = stream.servedBy().toString();
    Usage usage = stream.usage().orElseThrow();
    ObjectNode last = json.chunk(id, created, served, finishOnly(finish));
    if (call.includeUsage()) {
      send(out, mapper.writeValueAsString(last));
      last = json.usageChunk(id, created, served, usage);
    } else {
      last.set("usage", json.usage(usage));
    }
    last.set(ROUTING_FIELD, routing(stream, Optional.of(usage)));
    send(out, mapper.writeValueAsString(last));
  }

  /** What routing did for a stream, for the client: an extra field OpenAI clients ignore. */
  private ObjectNode routing(RoutedStream stream, Optional<Usage> usage) {
    RoutingTrace trace = stream.trace();
    ObjectNode node = mapper.createObjectNode();
    trace.servedBy().ifPresent(model -> node.put("served_by", model.toString()));
    ArrayNode models = node.putArray("models");
    stream.models().forEach(model -> models.add(model.toString()));
    node.put("attempts", trace.attempts().size());
    node.put("continuations", stream.continuations());
    usage.ifPresent(u -> node.put("usage_estimated", u.estimated()));
    node.put("trace", headerSafe(trace.summary()));
    return node;
  }

  private static ChatChunk output(ChatChunk chunk) {
    return new ChatChunk(
        chunk.model(),
        chunk.contentDelta(),
        chunk.toolCallDeltas(),
        Optional.empty(),
        Optional.empty());
  }

  private static ChatChunk finishOnly(ChatChunk chunk) {
    return new ChatChunk(chunk.model(), "", List.of(), chunk.finishReason(), Optional.empty());
  }

  private static void send(OutputStream out, String data) throws IOException {
    write(out, data);
    out.flush();
  }

  /**
   * Refuses a call from a key whose budget is spent: 429, as OpenAI answers a spent quota, with
   * {@code Retry-After} until the budget renews (none for a total budget).
   */
  private static void refuse(Budgets.Exceeded exceeded) {
    OpenAiError error =
        new OpenAiError(429, "insufficient_quota", null, "budget_exceeded", exceeded.message());
    throw exceeded
        .renewsAt()
        .map(at -> error.withRetryAfter(Duration.between(Instant.now(), at)))
        .orElse(error);
  }

  private static void write(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Turns the request's model name (and chain) into where candidates come from. */
  private RouteRequest route(ChatCompletionCall call) {
    String model = call.model();
    ModelRequirements defaults = RequirementHints.defaultsFor(TaskType.GENERAL_CHAT);
    RouteSettings route = runtime.routes().get(model);
    CandidateSource source;
    ModelRequirements requirements;
    if (route != null) {
      requirements = call.requirementsOver(route.requirements());
      if (!call.fallbackModels().isEmpty()) {
        throw OpenAiError.invalid(
            "models", "models: a fallback chain goes with a concrete model, not a route");
      }
      return RouteRequest.of(call.chat(), requirements, route.source())
          .withTimeouts(route.timeouts())
          .withHedge(route.hedge());
    } else if (model.equals(AUTO)) {
      requirements = call.requirementsOver(defaults);
      source =
          call.fallbackModels().isEmpty()
              ? CandidateSource.byRequirements()
              : CandidateSource.chain(keys(call.fallbackModels(), "models"));
    } else if (model.indexOf('/') > 0) {
      requirements = call.requirementsOver(defaults);
      ModelKey key = knownModel(model, "model");
      if (call.fallbackModels().isEmpty()) {
        source = CandidateSource.model(key);
      } else {
        List<ModelKey> chain = new ArrayList<>();
        chain.add(key);
        chain.addAll(keys(call.fallbackModels(), "models"));
        source = CandidateSource.chain(chain);
      }
    } else {
      throw unknownModel(model, "model");
    }
    return RouteRequest.of(call.chat(), requirements, source);
  }

  private List<ModelKey> keys(List<String> names, String param) {
    List<ModelKey> keys = new ArrayList<>();
    for (String name : names) {
      keys.add(knownModel(name, param));
    }
    return keys;
  }

  /**
   * The key, when its provider is configured and lists it (or cannot list right now, in which case
   * routing finds out and says so).
   */
  private ModelKey knownModel(String name, String param) {
    ModelKey key;
    try {
      key = ModelKey.parse(name);
    } catch (IllegalArgumentException e) {
      throw unknownModel(name, param);
    }
    if (runtime.providers().get(key.provider()).isEmpty()) {
      throw unknownModel(name, param);
    }
    Optional<List<ModelInfo>> listed = runtime.models(key.provider());
    if (listed.isPresent() && listed.get().stream().noneMatch(m -> m.id().equals(key.modelId()))) {
      throw unknownModel(name, param);
    }
    return key;
  }

  private OpenAiError unknownModel(String name, String param) {
    List<String> routes = new ArrayList<>(runtime.routes().keySet());
    routes.add(AUTO);
    return new OpenAiError(
        404,
        "invalid_request_error",
        param,
        "model_not_found",
        "The model '"
            + name
            + "' does not exist. Use provider/model-id as listed by GET /v1/models, or a route: "
            + String.join(", ", routes));
  }

  private static OpenAiError asError(RoutingException e) {
    return switch (e) {
      case RoutingException.NoEligibleModel none -> noEligible(none);
      case RoutingException.AllCandidatesFailed failed -> {
        ProviderException last = failed.lastError();
        OpenAiError error =
            upstreamError(
                last.errorClass(),
                "every candidate failed; last error ("
                    + last.errorClass().wireName()
                    + " from "
                    + last.provider()
                    + last.modelId().map(m -> "/" + m).orElse("")
                    + "): "
                    + last.getMessage()
                    + " | "
                    + failed.trace().summary());
        yield last instanceof ProviderException.RateLimited limited
                && limited.retryAfter().isPresent()
            ? error.withRetryAfter(limited.retryAfter().get())
            : error;
      }
    };
  }

  private static OpenAiError noEligible(RoutingException.NoEligibleModel e) {
    List<SkippedModel> skipped = e.trace().skipped();
    boolean unusableNow =
        skipped.isEmpty()
            || skipped.stream()
                .anyMatch(
                    s ->
                        s.reason().startsWith("unavailable")
                            || s.reason().startsWith("circuit open")
                            || s.reason().startsWith("provider out"));
    if (unusableNow) {
      return new OpenAiError(503, "server_error", null, "no_model_available", e.getMessage());
    }
    return new OpenAiError(422, "invalid_request_error", null, "no_eligible_model", e.getMessage());
  }

  /**
   * An upstream failure as the client should see it: its own request's faults as 400s (a prompt too
   * long for every model stays the client's to fix); every upstream was busy as 429, so that a
   * client backs off; the rest as 502/503/504 with a code that names the upstream failure.
   */
  static OpenAiError upstreamError(ErrorClass error, String message) {
    return switch (error) {
      case INVALID_REQUEST ->
          new OpenAiError(400, "invalid_request_error", null, error.wireName(), message);
      case CONTEXT_LENGTH_EXCEEDED ->
          new OpenAiError(
              400, "invalid_request_error", "messages", "context_length_exceeded", message);
      case CONTENT_FILTERED ->
          new OpenAiError(400, "invalid_request_error", null, "content_filter", message);
      case RATE_LIMITED ->
          new OpenAiError(429, "upstream_error", null, "upstream_rate_limited", message);
      case UNAVAILABLE ->
          new OpenAiError(503, "upstream_error", null, "upstream_unavailable", message);
      case TIMEOUT -> new OpenAiError(504, "upstream_error", null, "upstream_timeout", message);
      case CANCELLED -> new OpenAiError(503, "upstream_error", null, "cancelled", message);
      case AUTHENTICATION ->
          new OpenAiError(502, "upstream_error", null, "upstream_authentication", message);
      case MODEL_NOT_FOUND ->
          new OpenAiError(502, "upstream_error", null, "upstream_model_not_found", message);
    };
  }

  private static String outcome(RoutingException e) {
    return switch (e) {
      case RoutingException.NoEligibleModel none -> "no_eligible_model";
      case RoutingException.AllCandidatesFailed failed ->
          failed.lastError().errorClass().wireName();
    };
  }

  private static void traceHeaders(Context ctx, RoutingTrace trace) {
    traceHeaders(ctx, trace, trace.attempts().size());
  }

  private static void traceHeaders(Context ctx, RoutingTrace trace, int attempts) {
    trace.servedBy().ifPresent(m -> ctx.header(SERVED_MODEL_HEADER, m.toString()));
    ctx.header(ATTEMPTS_HEADER, Integer.toString(attempts));
    ctx.header(TRACE_HEADER, headerSafe(trace.summary()));
  }

  /** Headers carry visible ASCII only, and a bounded amount of it. */
  static String headerSafe(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_HEADER_CHARS));
    for (int i = 0; i < text.length() && out.length() < MAX_HEADER_CHARS; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  /** What the request log and the request's span say of a finished request. */
  private static void finished(
      Context ctx,
      RequestSpan span,
      int status,
      String served,
      String outcome,
      int attempts,
      Optional<Usage> usage) {
    ctx.attribute(RequestLog.SERVED_MODEL, served);
    ctx.attribute(RequestLog.ATTEMPTS, attempts);
    span.finish(status, served, outcome, usage);
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
