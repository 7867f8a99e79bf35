package dev.tta.models.routing;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ModelProvider;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured providers by id, in configuration order. Immutable. */
public final class ProviderRegistry {

  private final Map<ProviderId, ModelProvider> providers;

  private ProviderRegistry(Map<ProviderId, ModelProvider> providers) {
    this.providers = providers;
  }

  public static ProviderRegistry of(Collection<? extends ModelProvider> providers) {
    Map<ProviderId, ModelProvider> byId = new LinkedHashMap<>();
    for (ModelProvider provider : Checks.listOf(providers, "providers")) {
      if (byId.putIfAbsent(provider.id(), provider) != null) {
        throw new IllegalArgumentException(
            "providers: the name '" + provider.id() + "' is used twice; names must be unique");
      }
    }
    return new ProviderRegistry(java.util.Collections.unmodifiableMap(byId));
  }

  public Optional<ModelProvider> get(ProviderId id) {
    return Optional.ofNullable(providers.get(id));
  }

  public Collection<ModelProvider> all() {
    return providers.values();
  }
}
