package dev.tta.models.server.config;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.history.Budget;
import dev.tta.models.history.BudgetPeriod;
import dev.tta.models.routing.AttemptTimeouts;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.server.auth.ApiKeys;
import dev.tta.models.server.openai.RequirementHints;
import dev.tta.models.store.HistoryLocation;
import dev.tta.models.store.StateLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a gateway configuration file, checks all of it, and returns it only when nothing is wrong;
 * otherwise throws a {@link ConfigException} listing every problem with its path.
 */
public final class ConfigReader {

  /** The variable that names a configuration file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "MM_CONFIG";

  /** The file read when neither {@code --config} nor {@value #CONFIG_ENV} names one. */
  public static final Path DEFAULT_FILE = Path.of("mm.yaml");

  /** Variables holding client keys (comma-separated) and the admin key, plain. */
  public static final String CLIENT_KEYS_ENV = "MM_API_KEYS";

  public static final String ADMIN_KEY_ENV = "MM_ADMIN_KEY";

  /** The variable that moves the data directory. */
  public static final String DATA_DIR_ENV = "MM_DATA_DIR";

  private static final Set<String> TOP_LEVEL =
      Set.of(
          "server",
          "data_dir",
          "providers",
          "routes",
          "fallbacks",
          "selection",
          "fallback",
          "circuit_breaker",
          "auth",
          "storage",
          "telemetry");

  /** What a key's name may be: it is used in URLs, counters and metrics. */
  static final String KEY_NAME = "[a-z0-9][a-z0-9_.-]{0,63}";

  private static final Set<String> REQUIREMENT_KEYS = Set.copyOf(ModelRequirements.FIELD_NAMES);

  private static final Map<String, BiConsumer<SelectionConfig.Builder, Double>> SELECTION_NUMBERS =
      selectionNumbers();

  private final Map<String, String> env;

  public ConfigReader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Reads and checks a file; relative paths in it are taken from the file's folder. */
  public GatewayConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          file.toString(), List.of(new ConfigProblem("", "the file does not exist")));
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of(new ConfigProblem("", "cannot be read: " + e.getMessage())));
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), folder);
  }

  /** Checks configuration text; {@code folder} anchors relative paths. */
  public GatewayConfig parse(String yaml, String source, Path folder) {
    JsonNode root;
    try {
      root = YAMLMapper.builder().build().readTree(yaml);
    } catch (JacksonException e) {
      throw new ConfigException(
          source, List.of(new ConfigProblem("", "is not valid YAML: " + e.getOriginalMessage())));
    }
    List<ConfigProblem> problems = new ArrayList<>();
    ConfigNode top = new ConfigNode(root, "", env, problems);
    if (top.isPresent() && !root.isObject()) {
      throw new ConfigException(
          source, List.of(new ConfigProblem("", "must be a mapping with keys such as providers")));
    }
    top.allowOnly(TOP_LEVEL);
    ServerSettings server = server(top.get("server"));
    Path dataDir =
        top.get("data_dir")
            .text()
            .filter(t -> !t.isEmpty())
            .map(t -> folder.resolve(t).normalize())
            .orElseGet(() -> defaultDataDirectory(env));
    ProviderSections sections = new ProviderSections(env, folder);
    List<ProviderSettings> providers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode item : top.get("providers").items()) {
      Optional<String> name = item.get("name").written();
      boolean duplicate = name.isPresent() && !names.add(name.get());
      if (duplicate) {
        item.get("name")
            .problem("'" + name.get() + "' is used by an earlier provider; names must be unique");
      }
      sections.read(item).filter(p -> !duplicate).ifPresent(providers::add);
    }
    Map<String, RouteSettings> routes = routes(top.get("routes"), names);
    Map<ModelKey, List<ModelKey>> fallbacks = fallbacks(top.get("fallbacks"), names);
    SelectionConfig selection = selection(top.get("selection"));
    FallbackConfig fallback = fallback(top.get("fallback"));
    CircuitBreakerSettings circuitBreaker = circuitBreaker(top.get("circuit_breaker"));
    AuthSettings auth = auth(top.get("auth"));
    StorageSettings storage = storage(top.get("storage"), dataDir, folder);
    TelemetrySettings telemetry = telemetry(top.get("telemetry"));
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return new GatewayConfig(
        source,
        server,
        dataDir,
        providers,
        routes,
        fallbacks,
        selection,
        fallback,
        circuitBreaker,
        auth,
        storage,
        telemetry,
        List.of());
  }

  /** {@value #DATA_DIR_ENV}, else {@code $XDG_DATA_HOME/mm}, else {@code ~/.local/share/mm}. */
  public static Path defaultDataDirectory(Map<String, String> env) {
    String explicit = env.get(DATA_DIR_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "mm");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "mm");
  }

  private ServerSettings server(ConfigNode node) {
    node.isMapping();
    node.allowOnly(Set.of("host", "port", "max_body_bytes", "shutdown_timeout"));
    ServerSettings d = ServerSettings.defaults();
    return new ServerSettings(
        node.get("host").text().filter(h -> !h.isEmpty()).orElse(d.host()),
        node.get("port").integer(0, 65_535).orElse(d.port()),
        node.get("max_body_bytes")
            .integer(1_024, Integer.MAX_VALUE)
            .map(Integer::longValue)
            .orElse(d.maxBodyBytes()),
        node.get("shutdown_timeout").duration().orElse(d.shutdownTimeout()));
  }

  private static TelemetrySettings telemetry(ConfigNode node) {
    node.isMapping();
    node.allowOnly(Set.of("otlp_endpoint", "service_name", "headers", "export_timeout"));
    TelemetrySettings d = TelemetrySettings.off();
    Map<String, String> headers = new LinkedHashMap<>();
    node.get("headers")
        .entries()
        .forEach((name, value) -> value.text().ifPresent(v -> headers.put(name, v)));
    return new TelemetrySettings(
        node.get("otlp_endpoint").httpUrl(),
        node.get("service_name").text().filter(n -> !n.isEmpty()).orElse(d.serviceName()),
        headers,
        node.get("export_timeout").duration().orElse(d.exportTimeout()));
  }

  private Map<String, RouteSettings> routes(ConfigNode node, Set<String> providers) {
    Map<String, RouteSettings> routes = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : node.entries().entrySet()) {
      String name = entry.getKey();
      ConfigNode route = entry.getValue();
      if (name.contains("/") || name.equals("auto") || name.isBlank()) {
        route.problem(
            "a route name must not contain '/' and must not be 'auto' (those are model names)");
        continue;
      }
      if (!route.isMapping()) {
        continue;
      }
      Set<String> known = new HashSet<>(REQUIREMENT_KEYS);
      known.addAll(Set.of("models", "timeouts", "hedge"));
      route.allowOnly(known);
      List<ModelKey> models = modelKeys(route.get("models"), providers);
      boolean hasRequirements = REQUIREMENT_KEYS.stream().anyMatch(k -> route.get(k).isPresent());
      if (!route.get("models").isPresent() && !hasRequirements) {
        route.problem("needs models (an ordered chain) or requirements such as task_type");
      }
      AttemptTimeouts timeouts = TimeoutsSection.route(route.get("timeouts"));
      boolean hedge = route.get("hedge").bool().orElse(false);
      requirements(route)
          .ifPresent(r -> routes.put(name, new RouteSettings(name, r, models, timeouts, hedge)));
    }
    return routes;
  }

  /** Reads the requirement keys of a route (or a request); the task defaults to general chat. */
  Optional<ModelRequirements> requirements(ConfigNode node) {
    TaskType task = TaskType.GENERAL_CHAT;
    Optional<String> taskName = node.get("task_type").text();
    if (taskName.isPresent()) {
      Optional<TaskType> parsed =
          node.get("task_type").attempt(() -> TaskType.fromWireName(taskName.get()));
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      task = parsed.get();
    }
    ModelRequirements.Builder b = RequirementHints.defaultsFor(task).toBuilder();
    node.get("max_latency_ms").integer(1, Integer.MAX_VALUE).ifPresent(b::maxLatencyMs);
    node.get("min_quality_score").number().ifPresent(b::minQualityScore);
    node.get("max_cost_per_token").number().ifPresent(b::maxCostPerToken);
    List<String> caps = node.get("required_capabilities").texts();
    if (!caps.isEmpty()) {
      b.requiredCapabilities(caps);
    }
    node.get("context_length_needed")
        .integer(0, Integer.MAX_VALUE)
        .ifPresent(b::contextLengthNeeded);
    node.get("therapeutic_safety_required").bool().ifPresent(b::therapeuticSafetyRequired);
    node.get("prefer_free").bool().ifPresent(b::preferFree);
    node.get("prefer_local").bool().ifPresent(b::preferLocal);
    return node.attempt(b::build);
  }

  private Map<ModelKey, List<ModelKey>> fallbacks(ConfigNode node, Set<String> providers) {
    Map<ModelKey, List<ModelKey>> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : node.entries().entrySet()) {
      ConfigNode chain = entry.getValue();
      Optional<ModelKey> from = modelKey(chain, entry.getKey(), providers);
      List<ModelKey> to = modelKeys(chain, providers);
      if (to.isEmpty()) {
        chain.problem("must list at least one model to fall back to");
      }
      from.ifPresent(f -> out.put(f, to));
    }
    return out;
  }

  private List<ModelKey> modelKeys(ConfigNode node, Set<String> providers) {
    List<ModelKey> out = new ArrayList<>();
    for (ConfigNode item : node.items()) {
      item.text().flatMap(t -> modelKey(item, t, providers)).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<ModelKey> modelKey(ConfigNode at, String text, Set<String> providers) {
    Optional<ModelKey> key = at.attempt(() -> ModelKey.parse(text));
    if (key.isPresent() && !providers.contains(key.get().provider().value())) {
      at.problem(
          "'" + text + "' names provider '" + key.get().provider() + "', which is not configured");
      return Optional.empty();
    }
    return key;
  }

  private SelectionConfig selection(ConfigNode node) {
    node.isMapping();
    node.allowOnly(SELECTION_NUMBERS.keySet());
    SelectionConfig.Builder b = SelectionConfig.defaults().toBuilder();
    SELECTION_NUMBERS.forEach(
        (key, setter) -> node.get(key).number().ifPresent(v -> setter.accept(b, v)));
    return node.attempt(b::build).orElse(SelectionConfig.defaults());
  }

  private static Map<String, BiConsumer<SelectionConfig.Builder, Double>> selectionNumbers() {
    Map<String, BiConsumer<SelectionConfig.Builder, Double>> m = new LinkedHashMap<>();
    m.put("performance_weight", SelectionConfig.Builder::performanceWeight);
    m.put("safety_weight", SelectionConfig.Builder::safetyWeight);
    m.put("cost_weight", SelectionConfig.Builder::costWeight);
    m.put("default_performance_score", SelectionConfig.Builder::defaultPerformanceScore);
    m.put("default_remote_safety_score", SelectionConfig.Builder::defaultRemoteSafetyScore);
    m.put("default_local_safety_score", SelectionConfig.Builder::defaultLocalSafetyScore);
    m.put("min_therapeutic_safety_score", SelectionConfig.Builder::minTherapeuticSafetyScore);
    m.put("cost_score_zero_at_per_token", SelectionConfig.Builder::costScoreZeroAtPerToken);
    m.put("task_capability_bonus", SelectionConfig.Builder::taskCapabilityBonus);
    m.put("free_bonus", SelectionConfig.Builder::freeBonus);
    m.put("local_bonus", SelectionConfig.Builder::localBonus);
    m.put("hardware_headroom_factor", SelectionConfig.Builder::hardwareHeadroomFactor);
    m.put("hardware_headroom_bonus", SelectionConfig.Builder::hardwareHeadroomBonus);
    m.put("hardware_fit_bonus", SelectionConfig.Builder::hardwareFitBonus);
    m.put("default_local_latency_ms", (b, v) -> b.defaultLocalLatencyMs(Math.round(v)));
    m.put("default_remote_latency_ms", (b, v) -> b.defaultRemoteLatencyMs(Math.round(v)));
    m.put("history_min_samples", (b, v) -> b.historyMinSamples((int) Math.round(v)));
    m.put("history_success_baseline", SelectionConfig.Builder::historySuccessBaseline);
    m.put("history_success_weight", SelectionConfig.Builder::historySuccessWeight);
    m.put("history_latency_target_ms", SelectionConfig.Builder::historyLatencyTargetMs);
    m.put("history_latency_weight", SelectionConfig.Builder::historyLatencyWeight);
    m.put(
        "history_time_to_first_token_target_ms",
        SelectionConfig.Builder::historyTimeToFirstTokenTargetMs);
    m.put(
        "history_time_to_first_token_weight",
        SelectionConfig.Builder::historyTimeToFirstTokenWeight);
    m.put("history_quality_weight", SelectionConfig.Builder::historyQualityWeight);
    return m;
  }

  private FallbackConfig fallback(ConfigNode node) {
    node.isMapping();
    node.allowOnly(
        Set.of(
            "strategy",
            "exclusion_window",
            "max_failures",
            "prefer_different_provider",
            "max_attempts",
            "max_retries_per_model",
            "backoff_base",
            "backoff_multiplier",
            "backoff_max",
            "jitter",
            "max_retry_after",
            "failure_retention",
            "fallback_on_invalid_request",
            "request_deadline",
            "fast_failure_limit",
            "provider_recheck_after"));
    FallbackConfig.Builder b = FallbackConfig.defaults().toBuilder();
    node.get("strategy")
        .text()
        .filter(t -> !t.isEmpty())
        .ifPresent(t -> strategy(node.get("strategy"), t).ifPresent(b::strategy));
    node.get("exclusion_window").duration().ifPresent(b::exclusionWindow);
    node.get("max_failures").integer(1, 1_000).ifPresent(b::maxFailures);
    node.get("prefer_different_provider").bool().ifPresent(b::preferDifferentProvider);
    node.get("max_attempts").integer(1, 100).ifPresent(b::maxAttempts);
    node.get("max_retries_per_model").integer(0, 100).ifPresent(b::maxRetriesPerModel);
    node.get("backoff_base").duration().ifPresent(b::backoffBase);
    node.get("backoff_multiplier").number().ifPresent(b::backoffMultiplier);
    node.get("backoff_max").duration().ifPresent(b::backoffMax);
    node.get("jitter").number().ifPresent(b::jitter);
    node.get("max_retry_after").duration().ifPresent(b::maxRetryAfter);
    node.get("failure_retention").duration().ifPresent(b::failureRetention);
    node.get("fallback_on_invalid_request").bool().ifPresent(b::fallbackOnInvalidRequest);
    node.get("request_deadline").duration().ifPresent(b::requestDeadline);
    node.get("fast_failure_limit").duration().ifPresent(b::fastFailureLimit);
    node.get("provider_recheck_after").duration().ifPresent(b::providerRecheckAfter);
    return node.attempt(b::build).orElse(FallbackConfig.defaults());
  }

  private CircuitBreakerSettings circuitBreaker(ConfigNode node) {
    node.isMapping();
    node.allowOnly(
        Set.of(
            "failure_rate_threshold",
            "sliding_window_size",
            "minimum_calls",
            "wait_in_open_state",
            "open_wait_multiplier",
            "max_wait_in_open_state",
            "permitted_calls_in_half_open_state"));
    CircuitBreakerSettings.Builder b = CircuitBreakerSettings.defaults().toBuilder();
    node.get("failure_rate_threshold")
        .number()
        .ifPresent(v -> b.failureRateThreshold(v.floatValue()));
    node.get("sliding_window_size").integer(1, 10_000).ifPresent(b::slidingWindowSize);
    node.get("minimum_calls").integer(1, 10_000).ifPresent(b::minimumCalls);
    node.get("wait_in_open_state").duration().ifPresent(b::waitInOpenState);
    node.get("open_wait_multiplier").number().ifPresent(b::openWaitMultiplier);
    node.get("max_wait_in_open_state").duration().ifPresent(b::maxWaitInOpenState);
    node.get("permitted_calls_in_half_open_state")
        .integer(1, 1_000)
        .ifPresent(b::permittedCallsInHalfOpenState);
    return node.attempt(b::build).orElse(CircuitBreakerSettings.defaults());
  }

  private static Optional<FallbackStrategy> strategy(ConfigNode at, String text) {
    for (FallbackStrategy s : FallbackStrategy.values()) {
      if (s.name().equalsIgnoreCase(text.replace('-', '_'))) {
        return Optional.of(s);
      }
    }
    List<String> names = new ArrayList<>();
    for (FallbackStrategy s : FallbackStrategy.values()) {
      names.add(s.name().toLowerCase(Locale.ROOT));
    }
    at.problem("must be one of " + String.join(", ", names) + ", was '" + text + "'");
    return Optional.empty();
  }

  private AuthSettings auth(ConfigNode node) {
    node.isMapping();
    node.allowOnly(Set.of("client_keys", "admin_key"));
    List<String> clients = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Budget> budgets = new LinkedHashMap<>();
    for (ConfigNode item : node.get("client_keys").items()) {
      if (item.isObject()) {
        namedKey(item, clients, names, budgets);
        continue;
      }
      item.text()
          .filter(t -> !t.isEmpty())
          .flatMap(t -> item.attempt(() -> ApiKeys.hashed(t)))
          .ifPresent(clients::add);
    }
    String fromEnv = env.get(CLIENT_KEYS_ENV);
    if (fromEnv != null) {
      for (String key : fromEnv.split(",")) {
        if (!key.isBlank()) {
          clients.add(ApiKeys.hashed(key.trim()));
        }
      }
    }
    ConfigNode adminNode = node.get("admin_key");
    Optional<String> admin =
        adminNode
            .text()
            .filter(t -> !t.isEmpty())
            .flatMap(t -> adminNode.attempt(() -> ApiKeys.hashed(t)));
    String adminEnv = env.get(ADMIN_KEY_ENV);
    if (admin.isEmpty() && adminEnv != null && !adminEnv.isBlank()) {
      admin = Optional.of(ApiKeys.hashed(adminEnv.trim()));
    }
    return new AuthSettings(clients, admin, names, budgets);
  }

  /** A client key written {@code {key, name, budget: {usd, per}}}. */
  private static void namedKey(
      ConfigNode item,
      List<String> clients,
      Map<String, String> names,
      Map<String, Budget> budgets) {
    item.allowOnly(Set.of("key", "name", "budget"));
    Optional<String> hash =
        item.get("key")
            .requiredText()
            .flatMap(t -> item.get("key").attempt(() -> ApiKeys.hashed(t)));
    Optional<String> name = item.get("name").requiredText();
    if (name.isPresent() && !name.get().matches(KEY_NAME)) {
      item.get("name")
          .problem(
              "must be 1-64 lower-case letters, digits, '_', '.' or '-', starting with a letter"
                  + " or digit, was '"
                  + name.get()
                  + "'");
      name = Optional.empty();
    } else if (name.isPresent() && name.get().equals(ApiKeys.ADMIN_NAME)) {
      item.get("name").problem("'admin' is the admin key's name; give this key another");
      name = Optional.empty();
    } else if (name.isPresent() && names.containsValue(name.get())) {
      item.get("name").problem("'" + name.get() + "' names an earlier key; names must be unique");
      name = Optional.empty();
    }
    Optional<Budget> budget = budget(item.get("budget"));
    if (hash.isEmpty() || name.isEmpty()) {
      return;
    }
    String keyName = name.get();
    clients.add(hash.get());
    names.put(hash.get(), keyName);
    budget.ifPresent(b -> budgets.put(keyName, b));
  }

  private static Optional<Budget> budget(ConfigNode node) {
    if (!node.isPresent() || !node.isMapping()) {
      return Optional.empty();
    }
    node.allowOnly(Set.of("usd", "per"));
    ConfigNode usdNode = node.get("usd");
    Optional<Double> usd = Optional.empty();
    if (!usdNode.isPresent()) {
      usdNode.problem("is required");
    } else {
      usd = usdNode.number();
      if (usd.isPresent() && usd.get() <= 0) {
        usdNode.problem("must be more than 0, was " + usd.get());
        usd = Optional.empty();
      }
    }
    ConfigNode perNode = node.get("per");
    Optional<BudgetPeriod> per =
        perNode.requiredText().flatMap(t -> perNode.attempt(() -> BudgetPeriod.fromWireName(t)));
    return usd.isPresent() && per.isPresent()
        ? Optional.of(new Budget(usd.get(), per.get()))
        : Optional.empty();
  }

  private StorageSettings storage(ConfigNode node, Path dataDir, Path folder) {
    node.isMapping();
    node.allowOnly(Set.of("history", "state", "retention"));
    StorageSettings d = StorageSettings.defaults(dataDir);
    ConfigNode history = node.get("history");
    HistoryLocation historyAt =
        history
            .text()
            .flatMap(t -> history.attempt(() -> HistoryLocation.parse(t, dataDir, folder)))
            .orElse(d.history());
    ConfigNode state = node.get("state");
    StateLocation stateAt =
        state.text().flatMap(t -> state.attempt(() -> StateLocation.parse(t))).orElse(d.state());
    return new StorageSettings(
        historyAt, stateAt, node.get("retention").duration().orElse(d.retention()));
  }
}
