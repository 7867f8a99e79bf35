package dev.tta.models.management;

import java.time.Instant;
import java.util.List;

/**
 * The gateway as a whole.
 *
 * @param loadedModels models loaded through {@link ModelManagement#load} and not unloaded since,
 *     sorted
 */
public record SystemStatus(
    Instant startedAt,
    long uptimeSeconds,
    int healthyProviders,
    List<ProviderStatus> providers,
    List<String> loadedModels) {

  public SystemStatus {
    providers = List.copyOf(providers);
    loadedModels = List.copyOf(loadedModels);
  }
}
