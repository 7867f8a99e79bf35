package dev.tta.models.server.config;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.routing.AttemptTimeouts;
import java.util.function.Supplier;

/**
 * One configured provider, checked but not started.
 *
 * @param id {@code name}: the prefix of its model keys
 * @param type {@code type}
 * @param location where its models are (a base URL or model paths), for status output; never
 *     carries a key
 * @param settings the provider type's own checked settings ({@code CustomApiSettings}, {@code
 *     LocalSettings} ...), whose {@code toString} redacts keys
 * @param starter builds the running provider from them
 * @param timeouts {@code timeouts}: per-attempt limits of its models, over the type's defaults
 */
public record ProviderSettings(
    ProviderId id,
    ProviderType type,
    String location,
    Object settings,
    Supplier<ModelProvider> starter,
    AttemptTimeouts timeouts) {

  public ProviderSettings withTimeouts(AttemptTimeouts timeouts) {
    return new ProviderSettings(id, type, location, settings, starter, timeouts);
  }

  /** The limits its models are called with: the configured ones over the type's defaults. */
  public AttemptTimeouts attemptTimeouts() {
    return timeouts.over(AttemptTimeouts.defaults(type.local()));
  }

  public ModelProvider start() {
    return starter.get();
  }
}
