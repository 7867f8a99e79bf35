package dev.tta.models.provider;

import dev.tta.models.internal.Checks;

/**
 * The outcome of a health check.
 *
 * @param healthy whether the provider answered as expected
 * @param detail what was checked or what went wrong, without credentials
 */
public record ProviderHealth(boolean healthy, String detail) {

  public ProviderHealth {
    detail = Checks.notNull(detail, "detail");
  }

  public static ProviderHealth up(String detail) {
    return new ProviderHealth(true, detail);
  }

  public static ProviderHealth down(String detail) {
    return new ProviderHealth(false, detail);
  }
}
