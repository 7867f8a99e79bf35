package dev.tta.models.history;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.routing.RequestOrigin;
import java.time.Instant;

/** What a {@link CallHistory} keeps: calls, and the resets made by hand between them. */
public sealed interface HistoryEntry {

  Instant at();

  /**
   * One provider call (an attempt) as the monitor measured it.
   *
   * @param attempt its number in its request, 1 for the first
   * @param origin the request's id, route and key name
   */
  record Call(CallRecord call, int attempt, RequestOrigin origin) implements HistoryEntry {
    public Call {
      Checks.notNull(call, "call");
      Checks.positive(attempt, "attempt");
      Checks.notNull(origin, "origin");
    }

    @Override
    public Instant at() {
      return call.finishedAt();
    }
  }

  /** A model's failures were forgotten and its circuit closed by hand. */
  record ModelReset(ModelKey model, Instant at) implements HistoryEntry {
    public ModelReset {
      Checks.notNull(model, "model");
      Checks.notNull(at, "at");
    }
  }

  /** A provider taken out of service was brought back by hand, with its models. */
  record ProviderReset(ProviderId provider, Instant at) implements HistoryEntry {
    public ProviderReset {
      Checks.notNull(provider, "provider");
      Checks.notNull(at, "at");
    }
  }
}
