package dev.tta.models.server.management;

import dev.tta.models.history.BudgetPeriod;
import dev.tta.models.history.Budgets;
import dev.tta.models.history.CallHistory;
import dev.tta.models.server.auth.ApiKeys;
import dev.tta.models.server.auth.KeyAuthentication;
import dev.tta.models.server.http.Answers;
import dev.tta.models.state.RoutingState;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/v1/spend?key=NAME&window=day|week|month|total}: what API keys spent in the
 * current UTC day, week, month or in all, summed from the history, with each key's budget. The
 * admin key (or anyone, in development mode) reads every key; a client key reads only its own.
 */
public final class SpendApi {

  public static final String PATH = "/api/v1/spend";

  private final Optional<CallHistory> history;
  private final Budgets budgets;
  private final InstantSource time;
  private final ObjectMapper mapper;

  public SpendApi(
      Optional<CallHistory> history, Budgets budgets, InstantSource time, ObjectMapper mapper) {
    this.history = history;
    this.budgets = budgets;
    this.time = time;
    this.mapper = mapper;
  }

  public void register(JavalinDefaultRoutingApi routes) {
    routes.get(PATH, this::spend);
  }

  private void spend(Context ctx) {
    try {
      send(ctx, 200, report(ctx));
    } catch (ApiError e) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("message", e.getMessage());
      body.put("type", e.type);
      body.put("param", e.param);
      body.put("code", e.code);
      send(ctx, e.status, Map.of("error", body));
    }
  }

  private Map<String, Object> report(Context ctx) {
    Optional<ApiKeys.Identity> caller = KeyAuthentication.identity(ctx);
    Optional<String> asked = Optional.ofNullable(ctx.queryParam("key")).filter(k -> !k.isBlank());
    boolean admin = caller.isEmpty() || caller.get().holder() == ApiKeys.Holder.ADMIN;
    if (!admin && asked.isPresent() && !asked.get().equals(caller.get().name())) {
      throw new ApiError(
          403,
          "invalid_request_error",
          "key",
          "insufficient_permissions",
          "key: a client key reads only its own spend; the admin key reads every key's");
    }
    Optional<String> key = admin ? asked : Optional.of(caller.get().name());
    String windowName =
        Optional.ofNullable(ctx.queryParam("window"))
            .filter(w -> !w.isBlank())
            .orElseGet(() -> defaultWindow(key));
    BudgetPeriod window;
    try {
      window = BudgetPeriod.fromWireName(windowName);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(
          "window", "window: must be one of day, week, month, total, was '" + windowName + "'");
    }
    if (history.isEmpty()) {
      throw new ApiError(
          409,
          "invalid_request_error",
          null,
          "no_history",
          "this gateway keeps no history (it was started without storage)");
    }
    Instant now = time.instant();
    Instant from = window.start(now);
    Instant to = window.renewsAt(now).orElse(RoutingState.NEVER);
    Map<String, Double> spent = new TreeMap<>();
    if (key.isPresent()) {
      spent.put(key.get(), history.get().spent(key.get(), from, to));
    } else {
      spent.putAll(history.get().spentByClient(from, to));
      budgets.clients().forEach(name -> spent.putIfAbsent(name, 0.0));
    }
    List<Map<String, Object>> keys = new ArrayList<>();
    spent.forEach(
        (name, usd) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("key", name);
          entry.put("spent_usd", usd);
          entry.put("budget", budgets.standing(name).map(SpendApi::budget).orElse(null));
          keys.add(entry);
        });
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("window", window.wireName());
    result.put("from", from.toString());
    result.put("to", window.renewsAt(now).map(Instant::toString).orElse(null));
    result.put("keys", keys);
    return result;
  }

  /** The key's budget period when it has a budget, else the month. */
  private String defaultWindow(Optional<String> key) {
    return key.flatMap(budgets::standing)
        .map(standing -> standing.budget().per().wireName())
        .orElse(BudgetPeriod.MONTH.wireName());
  }

  private static Map<String, Object> budget(Budgets.Standing standing) {
    Map<String, Object> budget = new LinkedHashMap<>();
    budget.put("usd", standing.budget().usd());
    budget.put("per", standing.budget().per().wireName());
    budget.put("spent_usd", standing.spentUsd());
    budget.put("remaining_usd", standing.remainingUsd());
    budget.put("renews_at", standing.renewsAt().map(Instant::toString).orElse(null));
    return budget;
  }

  private void send(Context ctx, int status, Object body) {
    Answers.json(ctx, status, mapper, body);
  }
}
