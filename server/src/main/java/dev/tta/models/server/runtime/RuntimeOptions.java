package dev.tta.models.server.runtime;

import dev.tta.models.server.telemetry.GatewayTracing;
import java.util.Optional;

/**
 * What a runtime is given beside its configuration.
 *
 * @param tracing the traces, when not the ones the configuration's {@code telemetry} section asks
 *     for (a test's in-memory exporter, say)
 * @param spend where spend per API key comes from, when a history store is configured
 */
public record RuntimeOptions(Optional<GatewayTracing> tracing, Optional<SpendSource> spend) {

  public static RuntimeOptions defaults() {
    return new RuntimeOptions(Optional.empty(), Optional.empty());
  }

  public RuntimeOptions withTracing(GatewayTracing tracing) {
    return new RuntimeOptions(Optional.of(tracing), spend);
  }

  public RuntimeOptions withSpend(SpendSource spend) {
    return new RuntimeOptions(tracing, Optional.of(spend));
  }
}
