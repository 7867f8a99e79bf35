package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.internal.Checks;
import java.util.List;

/** Where the models a request may be served by come from. */
public sealed interface CandidateSource {

  /** Every model in the catalog that meets the requirements, ranked by the selector. */
  record ByRequirements() implements CandidateSource {}

  /**
   * An ordered chain: a named route's list or a per-request {@code models} list. The order is the
   * caller's; models that break a hard requirement or cannot be used now are skipped, and the trace
   * says why.
   */
  record ExplicitChain(List<ModelKey> models) implements CandidateSource {
    public ExplicitChain {
      models = Checks.listOf(models, "models");
      Checks.require(!models.isEmpty(), "models", "must name at least one model");
    }
  }

  /** One named model, followed by the fallbacks configured for it, in their order. */
  record ConcreteModel(ModelKey model) implements CandidateSource {
    public ConcreteModel {
      Checks.notNull(model, "model");
    }
  }

  static CandidateSource byRequirements() {
    return new ByRequirements();
  }

  static CandidateSource chain(List<ModelKey> models) {
    return new ExplicitChain(models);
  }

  static CandidateSource model(ModelKey model) {
    return new ConcreteModel(model);
  }
}
