package dev.tta.models.server.config;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.providers.anthropic.AnthropicProviderFactory;
import dev.tta.models.providers.anthropic.AnthropicSettings;
import dev.tta.models.providers.customapi.CustomApiProviderFactory;
import dev.tta.models.providers.customapi.CustomApiSettings;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.lmstudio.LmStudioProviderFactory;
import dev.tta.models.providers.lmstudio.LmStudioSettings;
import dev.tta.models.providers.local.LocalProviderFactory;
import dev.tta.models.providers.local.LocalSettings;
import dev.tta.models.providers.ollama.OllamaProviderFactory;
import dev.tta.models.providers.ollama.OllamaSettings;
import dev.tta.models.providers.openai.KeyHeader;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.openai.TokenLimitField;
import dev.tta.models.providers.openrouter.OpenRouterFilter;
import dev.tta.models.providers.openrouter.OpenRouterProviderFactory;
import dev.tta.models.providers.openrouter.OpenRouterSettings;
import dev.tta.models.routing.AttemptTimeouts;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads one {@code providers[i]} entry into checked provider settings: the keys each type takes,
 * their defaults, and the environment variables that stand in for missing ones.
 */
final class ProviderSections {

  static final String OPENROUTER_KEY_ENV = "OPENROUTER_API_KEY";
  static final String ANTHROPIC_KEY_ENV = "ANTHROPIC_API_KEY";

  private static final Set<String> CONNECTION_KEYS =
      Set.of(
          "name",
          "type",
          "base_url",
          "api_key",
          "headers",
          "health_path",
          "health_timeout",
          "catalog_timeout",
          "connect_timeout",
          "timeouts");

  private static final Set<String> MODEL_KEYS =
      Set.of(
          "id",
          "name",
          "description",
          "context_length",
          "input_cost_per_token",
          "output_cost_per_token",
          "free",
          "capabilities",
          "therapeutic_safety_score",
          "performance_score",
          "assistant_prefill");

  private final Map<String, String> env;
  private final Path folder;

  ProviderSections(Map<String, String> env, Path folder) {
    this.env = env;
    this.folder = folder;
  }

  Optional<ProviderSettings> read(ConfigNode node) {
    if (!node.isPresent() || !node.isMapping()) {
      return Optional.empty();
    }
    Optional<ProviderId> id =
        node.get("name")
            .requiredText()
            .flatMap(n -> node.get("name").attempt(() -> ProviderId.of(n)));
    Optional<String> typeName = node.get("type").requiredText();
    if (typeName.isEmpty()) {
      return Optional.empty();
    }
    Optional<ProviderType> type = ProviderType.builtIn(typeName.get());
    if (type.isEmpty()) {
      node.get("type")
          .problem(
              "must be one of "
                  + ProviderType.BUILT_IN.stream()
                      .map(ProviderType::name)
                      .collect(Collectors.joining(", "))
                  + ", was '"
                  + typeName.get()
                  + "'");
      return Optional.empty();
    }
    // read the rest even without a usable name, so that its problems are reported too
    ProviderId named = id.orElse(ProviderId.of("unnamed"));
    Optional<ProviderSettings> settings =
        switch (type.get().name()) {
          case "local" -> local(node, named);
          case "ollama" -> ollama(node, named);
          case "lm_studio" -> lmStudio(node, named);
          case "openrouter" -> openRouter(node, named);
          case "anthropic" -> anthropic(node, named);
          default -> customApi(node, named);
        };
    AttemptTimeouts timeouts = TimeoutsSection.provider(node.get("timeouts"));
    return id.isPresent() ? settings.map(s -> s.withTimeouts(timeouts)) : Optional.empty();
  }

  private Optional<ProviderSettings> local(ConfigNode node, ProviderId id) {
    node.allowOnly(
        Set.of(
            "name",
            "type",
            "model_paths",
            "max_loaded_models",
            "context_length",
            "threads",
            "default_max_tokens",
            "timeouts"));
    if (node.get("timeouts").get("connect").isPresent()) {
      node.get("timeouts")
          .get("connect")
          .problem("does not apply to a local provider, which runs models in this process");
    }
    LocalSettings.Builder b = LocalSettings.builder(id.value());
    List<String> paths = node.get("model_paths").texts();
    if (paths.isEmpty()) {
      node.get("model_paths").problem("must list at least one GGUF file or folder");
    }
    List<Path> resolved = new ArrayList<>();
    for (String p : paths) {
      Path path = folder.resolve(p).normalize();
      resolved.add(path);
      b.addModelPath(path);
    }
    node.get("max_loaded_models").integer(1, 64).ifPresent(b::maxLoadedModels);
    node.get("context_length").integer(1, Integer.MAX_VALUE).ifPresent(b::contextLength);
    node.get("threads").integer(1, 1_024).ifPresent(b::threads);
    node.get("default_max_tokens").integer(1, Integer.MAX_VALUE).ifPresent(b::defaultMaxTokens);
    String location = resolved.stream().map(Path::toString).collect(Collectors.joining(", "));
    return node.attempt(b::build)
        .map(s -> settings(id, ProviderType.LOCAL, location, s, LocalProviderFactory::create));
  }

  private Optional<ProviderSettings> ollama(ConfigNode node, ProviderId id) {
    node.allowOnly(union(CONNECTION_KEYS, Set.of("models")));
    URI base =
        node.get("base_url")
            .httpUrl()
            .orElseGet(() -> defaultUrl(node, () -> OllamaSettings.defaultBaseUrl(env)));
    Optional<OpenAiClientConfig> connection =
        connection(node, OllamaSettings.connection(id, base), Optional.empty());
    List<CustomModelSettings> models = models(node.get("models"));
    return connection
        .flatMap(c -> node.attempt(() -> new OllamaSettings(c, models)))
        .map(
            s ->
                settings(
                    id, ProviderType.OLLAMA, base.toString(), s, OllamaProviderFactory::create));
  }

  private Optional<ProviderSettings> lmStudio(ConfigNode node, ProviderId id) {
    node.allowOnly(CONNECTION_KEYS);
    URI base =
        node.get("base_url")
            .httpUrl()
            .orElseGet(() -> defaultUrl(node, () -> LmStudioSettings.defaultBaseUrl(env)));
    return connection(node, LmStudioSettings.connection(id, base), Optional.empty())
        .flatMap(c -> node.attempt(() -> new LmStudioSettings(c)))
        .map(
            s ->
                settings(
                    id,
                    ProviderType.LM_STUDIO,
                    base.toString(),
                    s,
                    LmStudioProviderFactory::create));
  }

  private Optional<ProviderSettings> openRouter(ConfigNode node, ProviderId id) {
    node.allowOnly(
        union(
            CONNECTION_KEYS,
            Set.of("site_url", "app_name", "show_free_only", "prefer_free", "max_cost_per_token")));
    URI base = node.get("base_url").httpUrl().orElse(OpenRouterSettings.DEFAULT_BASE_URL);
    Optional<OpenAiClientConfig> connection =
        connection(node, OpenAiClientConfig.builder(id, base), Optional.of(OPENROUTER_KEY_ENV));
    Optional<URI> site = node.get("site_url").httpUrl();
    Optional<String> app = node.get("app_name").text().filter(t -> !t.isEmpty());
    boolean freeOnly = node.get("show_free_only").bool().orElse(false);
    boolean preferFree = node.get("prefer_free").bool().orElse(false);
    OptionalDouble maxCost =
        node.get("max_cost_per_token")
            .number()
            .map(OptionalDouble::of)
            .orElse(OptionalDouble.empty());
    Optional<OpenRouterFilter> filter =
        node.attempt(
            () -> new OpenRouterFilter(freeOnly, preferFree, maxCost).withEnvironment(env));
    if (connection.isEmpty() || filter.isEmpty()) {
      return Optional.empty();
    }
    OpenRouterSettings.Builder b =
        OpenRouterSettings.builder(connection.get()).filter(filter.get());
    site.ifPresent(b::siteUrl);
    app.ifPresent(b::appName);
    return node.attempt(b::build)
        .map(
            s ->
                settings(
                    id,
                    ProviderType.OPENROUTER,
                    base.toString(),
                    s,
                    OpenRouterProviderFactory::create));
  }

  private Optional<ProviderSettings> anthropic(ConfigNode node, ProviderId id) {
    node.allowOnly(
        union(
            CONNECTION_KEYS,
            Set.of("anthropic_version", "default_max_tokens", "discover_models", "models")));
    URI base = node.get("base_url").httpUrl().orElse(AnthropicSettings.DEFAULT_BASE_URL);
    Optional<OpenAiClientConfig> connection =
        connection(node, AnthropicSettings.connection(id, base), Optional.of(ANTHROPIC_KEY_ENV));
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    AnthropicSettings.Builder b = AnthropicSettings.builder(connection.get());
    node.get("anthropic_version").text().filter(t -> !t.isEmpty()).ifPresent(b::anthropicVersion);
    node.get("default_max_tokens").integer(1, Integer.MAX_VALUE).ifPresent(b::defaultMaxTokens);
    node.get("discover_models").bool().ifPresent(b::discoverModels);
    models(node.get("models")).forEach(b::addModel);
    return node.attempt(b::build)
        .map(
            s ->
                settings(
                    id,
                    ProviderType.ANTHROPIC,
                    base.toString(),
                    s,
                    AnthropicProviderFactory::create));
  }

  private Optional<ProviderSettings> customApi(ConfigNode node, ProviderId id) {
    node.allowOnly(
        union(
            CONNECTION_KEYS,
            Set.of(
                "discover_models", "models", "key_header", "token_limit_field", "stream_usage")));
    Optional<URI> base = node.get("base_url").httpUrl();
    if (base.isEmpty()) {
      if (!node.get("base_url").isPresent()) {
        node.get("base_url").problem("is required for a custom_api provider");
      }
      return Optional.empty();
    }
    OpenAiClientConfig.Builder cb = OpenAiClientConfig.builder(id, base.get());
    choice(node.get("key_header"), KeyHeader.values()).ifPresent(cb::keyHeader);
    choice(node.get("token_limit_field"), TokenLimitField.values()).ifPresent(cb::tokenLimitField);
    node.get("stream_usage").bool().ifPresent(cb::streamUsage);
    Optional<OpenAiClientConfig> connection = connection(node, cb, Optional.empty());
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    CustomApiSettings.Builder b = CustomApiSettings.builder(connection.get());
    node.get("discover_models").bool().ifPresent(b::discoverModels);
    models(node.get("models")).forEach(b::addModel);
    return node.attempt(b::build)
        .map(
            s ->
                settings(
                    id,
                    ProviderType.CUSTOM_API,
                    base.get().toString(),
                    s,
                    CustomApiProviderFactory::create));
  }

  /** The connection keys every HTTP provider shares; the key falls back to {@code keyEnv}. */
  private Optional<OpenAiClientConfig> connection(
      ConfigNode node, OpenAiClientConfig.Builder b, Optional<String> keyEnv) {
    Optional<String> key = node.get("api_key").text().filter(t -> !t.isEmpty());
    if (key.isEmpty() && keyEnv.isPresent()) {
      key = Optional.ofNullable(env.get(keyEnv.get())).filter(t -> !t.isBlank());
      if (key.isEmpty()) {
        node.get("api_key").problem("is required (or set " + keyEnv.get() + ")");
        return Optional.empty();
      }
    }
    key.ifPresent(k -> b.apiKey(Secret.of(k)));
    Map<String, String> headers = new LinkedHashMap<>();
    node.get("headers")
        .entries()
        .forEach((name, value) -> value.text().ifPresent(v -> headers.put(name, v)));
    if (!headers.isEmpty()) {
      b.headers(headers);
    }
    node.get("health_path").text().filter(t -> !t.isEmpty()).ifPresent(b::healthPath);
    node.get("health_timeout").duration().ifPresent(b::healthTimeout);
    node.get("catalog_timeout").duration().ifPresent(b::catalogTimeout);
    ConfigNode connect = node.get("timeouts").get("connect");
    if (connect.isPresent() && node.get("connect_timeout").isPresent()) {
      connect.problem("is also set as connect_timeout; keep one of them");
    }
    node.get("connect_timeout").duration().ifPresent(b::connectTimeout);
    connect.duration().ifPresent(b::connectTimeout);
    return node.attempt(b::build);
  }

  private List<CustomModelSettings> models(ConfigNode node) {
    List<CustomModelSettings> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode item : node.items()) {
      if (!item.isMapping()) {
        continue;
      }
      item.allowOnly(MODEL_KEYS);
      Optional<String> id = item.get("id").requiredText();
      if (id.isEmpty()) {
        continue;
      }
      if (!seen.add(id.get())) {
        item.get("id").problem("'" + id.get() + "' is listed more than once");
        continue;
      }
      CustomModelSettings.Builder b = CustomModelSettings.builder(id.get());
      item.get("name").text().filter(t -> !t.isEmpty()).ifPresent(b::name);
      item.get("description").text().ifPresent(b::description);
      item.get("context_length").integer(1, Integer.MAX_VALUE).ifPresent(b::contextLength);
      Optional<Double> in = item.get("input_cost_per_token").number();
      Optional<Double> outCost = item.get("output_cost_per_token").number();
      if (in.isPresent() || outCost.isPresent()) {
        b.costPerToken(in.orElse(0.0), outCost.orElse(0.0));
      }
      item.get("free").bool().ifPresent(b::free);
      List<String> caps = item.get("capabilities").texts();
      if (!caps.isEmpty()) {
        b.capabilities(caps);
      }
      item.get("therapeutic_safety_score").number().ifPresent(b::therapeuticSafetyScore);
      item.get("performance_score").number().ifPresent(b::performanceScore);
      item.get("assistant_prefill")
          .bool()
          .ifPresent(
              accepts ->
                  b.assistantPrefill(
                      accepts ? AssistantPrefill.SUPPORTED : AssistantPrefill.UNSUPPORTED));
      item.attempt(b::build).ifPresent(out::add);
    }
    return out;
  }

  private static URI defaultUrl(ConfigNode node, Supplier<URI> fromEnv) {
    return node.attempt(fromEnv::get).orElse(URI.create("http://127.0.0.1/"));
  }

  private static <E extends Enum<E>> Optional<E> choice(ConfigNode node, E[] values) {
    Optional<String> text = node.text().filter(t -> !t.isEmpty());
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String wanted = text.get().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E value : values) {
      if (value.name().equals(wanted)) {
        return Optional.of(value);
      }
    }
    List<String> names = new ArrayList<>();
    for (E value : values) {
      names.add(value.name().toLowerCase(Locale.ROOT));
    }
    node.problem("must be one of " + String.join(", ", names) + ", was '" + text.get() + "'");
    return Optional.empty();
  }

  private static <T> ProviderSettings settings(
      ProviderId id,
      ProviderType type,
      String location,
      T settings,
      Function<T, ? extends ModelProvider> factory) {
    return new ProviderSettings(
        id, type, location, settings, () -> factory.apply(settings), AttemptTimeouts.INHERIT);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
