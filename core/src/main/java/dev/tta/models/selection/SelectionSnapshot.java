package dev.tta.models.selection;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.ModelStats;
import java.util.Map;
import java.util.Optional;

/**
 * What selection reads besides the catalog, taken once per request so that one selection sees one
 * consistent state.
 *
 * @param measurements the performance monitor's statistics per model, over one window
 * @param hardware this machine, when known; needed for the hardware filter and bonus
 * @param unavailable models that must not be chosen now (circuit open, excluded after failures),
 *     each with the reason, which a dropped model reports
 */
public record SelectionSnapshot(
    Map<ModelKey, ModelStats> measurements,
    Optional<HardwareProfile> hardware,
    Map<ModelKey, String> unavailable) {

  private static final SelectionSnapshot EMPTY =
      new SelectionSnapshot(Map.of(), Optional.empty(), Map.of());

  public SelectionSnapshot {
    measurements = Map.copyOf(Checks.notNull(measurements, "measurements"));
    Checks.notNull(hardware, "hardware");
    unavailable = Map.copyOf(Checks.notNull(unavailable, "unavailable"));
    unavailable.forEach((key, reason) -> Checks.notBlank(reason, "unavailable." + key));
  }

  /** No measurements, unknown hardware, everything available. */
  public static SelectionSnapshot empty() {
    return EMPTY;
  }
}
