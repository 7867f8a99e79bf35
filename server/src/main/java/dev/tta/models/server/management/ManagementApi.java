package dev.tta.models.server.management;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.Usage;
import dev.tta.models.management.FreeModelFilter;
import dev.tta.models.management.ManagementException;
import dev.tta.models.management.ModelManagement;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.routing.CandidateSource;
import dev.tta.models.routing.RouteRequest;
import dev.tta.models.routing.RoutedResponse;
import dev.tta.models.routing.RoutingException;
import dev.tta.models.server.http.Answers;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The management HTTP API under {@value #PREFIX}: a thin layer over {@link ModelManagement} that
 * reads and checks parameters, asks the {@link AdminGuard} before every state change, and answers
 * JSON, with errors in the OpenAI shape. A failure caused by the request is always a 4xx naming the
 * field at fault.
 */
public final class ManagementApi {

  public static final String PREFIX = "/api/v1/models";

  private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);

  private static final Set<String> REQUIREMENT_FIELDS = Set.copyOf(ModelRequirements.FIELD_NAMES);

  private static final Set<String> GENERATE_FIELDS =
      union(REQUIREMENT_FIELDS, Set.of("prompt", "messages", "model", "max_tokens", "temperature"));

  private static final int DEFAULT_RECOMMENDATIONS = 5;

  private final ModelManagement management;
  private final AdminGuard adminGuard;
  private final ObjectMapper mapper =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  public ManagementApi(ModelManagement management, AdminGuard adminGuard) {
    this.management = Objects.requireNonNull(management, "management");
    this.adminGuard = Objects.requireNonNull(adminGuard, "adminGuard");
  }

  /** Adds every route of the API to the app's routing configuration. */
  public void register(JavalinDefaultRoutingApi routes) {
    routes.post(PREFIX + "/generate", read(this::generate));
    routes.get(
        PREFIX + "/available",
        read(
            ctx -> {
              RequestFields query = RequestFields.ofQuery(ctx::queryParam);
              return models(
                  management.availableModels(
                      query.text("provider"), query.bool("free_only").orElse(false)));
            }));
    routes.get(PREFIX + "/free", read(ctx -> models(management.freeModels())));
    routes.get(
        PREFIX + "/affordable",
        read(
            ctx -> {
              RequestFields query = RequestFields.ofQuery(ctx::queryParam);
              OptionalDouble max = query.number("max_cost_per_token");
              if (max.isEmpty()) {
                throw ApiError.badRequest("max_cost_per_token", "max_cost_per_token: is required");
              }
              return models(management.affordableModels(max.getAsDouble()));
            }));
    routes.get(PREFIX + "/openrouter/free", read(ctx -> models(management.openRouterFreeModels())));
    routes.get(PREFIX + "/recommendations", read(this::recommendations));
    routes.post(
        PREFIX + "/test",
        write(
            ctx ->
                management.testConnectivity(
                    RequestFields.ofBody(mapper, ctx.body(), Set.of("model")).model("model"))));
    routes.get(PREFIX + "/status", read(ctx -> management.status()));
    routes.get(PREFIX + "/health", read(ctx -> management.health()));
    routes.post(
        PREFIX + "/load",
        write(
            ctx -> {
              RequestFields body =
                  RequestFields.ofBody(mapper, ctx.body(), Set.of("model", "context_length"));
              return management.load(
                  body.model("model"), new LoadOptions(body.integer("context_length"), Map.of()));
            }));
    routes.post(
        PREFIX + "/unload",
        write(
            ctx -> {
              var model = RequestFields.ofBody(mapper, ctx.body(), Set.of("model")).model("model");
              Map<String, Object> result = new LinkedHashMap<>();
              result.put("model", model.toString());
              result.put("was_loaded", management.unload(model));
              return result;
            }));
    routes.get(
        PREFIX + "/performance",
        read(
            ctx -> {
              RequestFields query = RequestFields.ofQuery(ctx::queryParam);
              return management.modelPerformance(query.model("model"), window(query));
            }));
    routes.get(
        PREFIX + "/performance/system",
        read(ctx -> management.systemPerformance(window(RequestFields.ofQuery(ctx::queryParam)))));
    routes.get(PREFIX + "/fallback/statistics", read(ctx -> management.fallbackStatistics()));
    routes.post(
        PREFIX + "/failures/reset",
        write(
            ctx -> {
              var model = RequestFields.ofBody(mapper, ctx.body(), Set.of("model")).model("model");
              management.resetFailures(model);
              return Map.of("model", model.toString(), "reset", true);
            }));
    routes.post(
        PREFIX + "/providers/reset",
        write(
            ctx -> {
              var provider =
                  RequestFields.ofBody(mapper, ctx.body(), Set.of("provider")).provider("provider");
              management.resetProvider(provider);
              return Map.of("provider", provider.value(), "reset", true);
            }));
    routes.get(
        PREFIX + "/openrouter/filter",
        read(ctx -> Map.of("filters", management.freeModelFilters())));
    routes.put(PREFIX + "/openrouter/filter", write(this::setFilter));
    routes.post(
        PREFIX + "/explain",
        read(
            ctx ->
                management.explain(
                    requirements(RequestFields.ofBody(mapper, ctx.body(), REQUIREMENT_FIELDS)))));
  }

  private Object generate(Context ctx) {
    RequestFields body = RequestFields.ofBody(mapper, ctx.body(), GENERATE_FIELDS);
    ChatRequest.Builder chat = ChatRequest.builder();
    Optional<String> prompt = body.text("prompt");
    List<JsonNode> messages = body.objects("messages");
    if (prompt.isPresent() == !messages.isEmpty()) {
      throw ApiError.badRequest(
          "prompt", "prompt: exactly one of prompt and messages must be given");
    }
    prompt.ifPresent(p -> chat.addMessage(ChatMessage.user(p)));
    for (JsonNode message : messages) {
      chat.addMessage(message(message));
    }
    body.integer("max_tokens").ifPresent(chat::maxTokens);
    body.number("temperature").ifPresent(chat::temperature);
    CandidateSource source =
        body.text("model").isPresent()
            ? CandidateSource.model(body.model("model"))
            : CandidateSource.byRequirements();
    RoutedResponse routed =
        management.generate(RouteRequest.of(chat.build(), requirements(body), source));
    Optional<Usage> usage = routed.response().usage();
    return new GenerateResult(
        routed.servedBy().toString(),
        routed.response().text(),
        routed.response().finishReason().wireName(),
        usage.map(Usage::promptTokens).orElse(null),
        usage.map(Usage::completionTokens).orElse(null),
        routed.trace().modelsTried().stream().map(Object::toString).toList(),
        routed.trace().summary());
  }

  private static ChatMessage message(JsonNode message) {
    JsonNode role = message.get("role");
    JsonNode content = message.get("content");
    if (role == null || !role.isString()) {
      throw ApiError.badRequest("messages", "messages: every message needs a string role");
    }
    if (content == null || !content.isString()) {
      throw ApiError.badRequest("messages", "messages: every message needs a string content");
    }
    Role parsed;
    try {
      parsed = Role.fromWireName(role.stringValue());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("messages", "messages: " + e.getMessage());
    }
    return new ChatMessage(parsed, content.stringValue(), List.of(), null);
  }

  private Object recommendations(Context ctx) {
    RequestFields query = RequestFields.ofQuery(ctx::queryParam);
    int limit = query.integer("limit").orElse(DEFAULT_RECOMMENDATIONS);
    if (limit < 1) {
      throw ApiError.badRequest("limit", "limit: must be at least 1, was " + limit);
    }
    return management.recommend(requirements(query), limit);
  }

  private Object setFilter(Context ctx) {
    RequestFields body =
        RequestFields.ofBody(
            mapper,
            ctx.body(),
            Set.of("show_free_only", "prefer_free", "max_cost_per_token", "provider"));
    FreeModelFilter filter =
        new FreeModelFilter(
            body.bool("show_free_only")
                .orElseThrow(
                    () -> ApiError.badRequest("show_free_only", "show_free_only: is required")),
            body.bool("prefer_free").orElse(false),
            body.number("max_cost_per_token"));
    return Map.of("filters", management.setFreeModelFilter(filter, body.text("provider")));
  }

  private static TimeWindow window(RequestFields query) {
    return ModelManagement.window(query.text("window").orElse("1h"));
  }

  private static ModelRequirements requirements(RequestFields fields) {
    TaskType task =
        fields.text("task_type").map(TaskType::fromWireName).orElse(TaskType.GENERAL_CHAT);
    ModelRequirements.Builder builder = ModelRequirements.builder(task);
    fields.integer("max_latency_ms").ifPresent(builder::maxLatencyMs);
    fields.number("min_quality_score").ifPresent(builder::minQualityScore);
    fields.number("max_cost_per_token").ifPresent(builder::maxCostPerToken);
    builder.requiredCapabilities(fields.strings("required_capabilities"));
    fields.integer("context_length_needed").ifPresent(builder::contextLengthNeeded);
    fields.bool("therapeutic_safety_required").ifPresent(builder::therapeuticSafetyRequired);
    fields.bool("prefer_free").ifPresent(builder::preferFree);
    fields.bool("prefer_local").ifPresent(builder::preferLocal);
    return builder.build();
  }

  private static Map<String, Object> models(List<?> models) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("count", models.size());
    result.put("models", models);
    return result;
  }

  private Handler read(Function<Context, Object> action) {
    return ctx -> respond(ctx, action);
  }

  private Handler write(Function<Context, Object> action) {
    return ctx -> {
      Optional<AdminGuard.Denial> denial = adminGuard.check(ctx);
      if (denial.isPresent()) {
        AdminGuard.Denial refused = denial.get();
        send(
            ctx,
            refused.status(),
            error(refused.message(), "invalid_request_error", null, refused.code()));
        return;
      }
      respond(ctx, action);
    };
  }

  private void respond(Context ctx, Function<Context, Object> action) {
    try {
      send(ctx, 200, action.apply(ctx));
    } catch (ApiError e) {
      send(ctx, e.status, error(e.getMessage(), e.type, e.param, e.code));
    } catch (ManagementException.UnknownModel e) {
      send(ctx, 404, error(e.getMessage(), "invalid_request_error", "model", "model_not_found"));
    } catch (ManagementException.UnknownProvider e) {
      send(
          ctx,
          404,
          error(e.getMessage(), "invalid_request_error", "provider", "provider_not_found"));
    } catch (ManagementException.Unsupported e) {
      send(ctx, 409, error(e.getMessage(), "invalid_request_error", "provider", "unsupported"));
    } catch (RoutingException.NoEligibleModel e) {
      send(
          ctx,
          422,
          error(
              "no model meets the requirements: " + e.trace().summary(),
              "invalid_request_error",
              null,
              "no_eligible_model"));
    } catch (RoutingException.AllCandidatesFailed e) {
      send(
          ctx,
          502,
          error(
              e.getMessage() + ": " + e.trace().summary(),
              "upstream_error",
              null,
              e.lastError().errorClass().wireName()));
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      String param = colon > 0 ? message.substring(0, colon) : null;
      send(ctx, 400, error(message, "invalid_request_error", param, "invalid_value"));
    } catch (RuntimeException e) {
      LOG.error("management request {} {} failed", ctx.method(), ctx.path(), e);
      send(ctx, 500, error("internal error", "server_error", null, "internal_error"));
    }
  }

  private static Map<String, Object> error(String message, String type, String param, String code) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("type", type);
    body.put("param", param);
    body.put("code", code);
    return Map.of("error", body);
  }

  private void send(Context ctx, int status, Object body) {
    Answers.json(ctx, status, mapper, body);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
