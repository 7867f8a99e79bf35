package dev.tta.models.management;

/**
 * Implemented by a provider whose listing can be narrowed to free or cheap models (OpenRouter). The
 * management façade finds it among the configured providers, since core cannot name provider
 * classes.
 */
public interface FreeModelFilterControl {

  FreeModelFilter freeModelFilter();

  /** Applies from the provider's next listing on. */
  void freeModelFilter(FreeModelFilter filter);
}
