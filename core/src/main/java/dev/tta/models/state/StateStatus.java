package dev.tta.models.state;

import dev.tta.models.internal.Checks;

/**
 * How a {@link RoutingState} is doing, for {@code /health/ready} and status pages.
 *
 * @param backend {@code memory} or {@code redis}
 * @param location where it is kept ({@code redis://host:6379/0}, never with a password); empty for
 *     memory
 * @param degraded true while a shared state cannot be reached and this replica serves on its own
 * @param detail why, when degraded; empty otherwise
 */
public record StateStatus(String backend, String location, boolean degraded, String detail) {
  public StateStatus {
    Checks.notBlank(backend, "backend");
    Checks.notNull(location, "location");
    Checks.notNull(detail, "detail");
  }
}
