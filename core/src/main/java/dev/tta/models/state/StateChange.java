package dev.tta.models.state;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;

/** A change to routing state that one replica made and the others apply to their own. */
public sealed interface StateChange {

  /** A deployment's circuit opened; its probe goes through at {@code probeAfter}. */
  record CircuitOpened(ModelKey model, Instant probeAfter) implements StateChange {
    public CircuitOpened {
      Checks.notNull(model, "model");
      Checks.notNull(probeAfter, "probe_after");
    }
  }

  /** A call to a deployment failed. */
  record FailureRecorded(ModelKey model, ErrorClass error, Instant at) implements StateChange {
    public FailureRecorded {
      Checks.notNull(model, "model");
      Checks.notNull(error, "error");
      Checks.notNull(at, "at");
    }
  }

  /** A call to a deployment succeeded: earlier failures no longer count towards its exclusion. */
  record SuccessRecorded(ModelKey model, Instant at) implements StateChange {
    public SuccessRecorded {
      Checks.notNull(model, "model");
      Checks.notNull(at, "at");
    }
  }

  /** A provider was taken out of service. */
  record ProviderOut(ProviderId provider, String reason, Instant at) implements StateChange {
    public ProviderOut {
      Checks.notNull(provider, "provider");
      Checks.notBlank(reason, "reason");
      Checks.notNull(at, "at");
    }
  }

  /** A model's failures were forgotten and its circuit closed. */
  record ModelReset(ModelKey model) implements StateChange {
    public ModelReset {
      Checks.notNull(model, "model");
    }
  }

  /** A provider was brought back into service. */
  record ProviderReset(ProviderId provider) implements StateChange {
    public ProviderReset {
      Checks.notNull(provider, "provider");
    }
  }
}
