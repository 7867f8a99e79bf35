package dev.tta.models.server.config;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.selection.SelectionConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked gateway configuration: what {@link ConfigReader} makes of a file, or the embedded
 * default. docs/features/configuration.md documents every key.
 *
 * @param source where it came from (a file path, or a description of the embedded default)
 * @param server listening and limits
 * @param dataDirectory {@code data_dir}: where the gateway keeps its own files (the built-in model)
 * @param providers in configuration order
 * @param routes by name, in configuration order
 * @param fallbacks where a concrete model goes when it fails, in order
 * @param selection weights and thresholds
 * @param fallback strategy, windows, retries, deadline
 * @param circuitBreaker {@code circuit_breaker}: when a deployment is taken out and how it is
 *     probed back
 * @param auth client and admin keys, with their names and budgets
 * @param storage where calls, spend and shared routing state are kept
 * @param telemetry where traces go, if anywhere
 * @param notices lines the start-up banner must show (for example that a model has random weights)
 */
public record GatewayConfig(
    String source,
    ServerSettings server,
    Path dataDirectory,
    List<ProviderSettings> providers,
    Map<String, RouteSettings> routes,
    Map<ModelKey, List<ModelKey>> fallbacks,
    SelectionConfig selection,
    FallbackConfig fallback,
    CircuitBreakerSettings circuitBreaker,
    AuthSettings auth,
    StorageSettings storage,
    TelemetrySettings telemetry,
    List<String> notices) {

  public GatewayConfig {
    providers = List.copyOf(providers);
    routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    fallbacks = Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
    notices = List.copyOf(notices);
  }

  public GatewayConfig withServer(ServerSettings server) {
    return new GatewayConfig(
        source,
        server,
        dataDirectory,
        providers,
        routes,
        fallbacks,
        selection,
        fallback,
        circuitBreaker,
        auth,
        storage,
        telemetry,
        notices);
  }

  /** The same settings, said to come from {@code source}, with lines for the start-up banner. */
  public GatewayConfig describedAs(String source, List<String> notices) {
    return new GatewayConfig(
        source,
        server,
        dataDirectory,
        providers,
        routes,
        fallbacks,
        selection,
        fallback,
        circuitBreaker,
        auth,
        storage,
        telemetry,
        notices);
  }
}
