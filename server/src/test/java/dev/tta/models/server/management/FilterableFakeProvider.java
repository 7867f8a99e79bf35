package dev.tta.models.server.management;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.management.FreeModelFilter;
import dev.tta.models.management.FreeModelFilterControl;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.time.ManualTimeSource;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/** A fake provider with a free-model filter, applied to its listing, as OpenRouter has one. */
final class FilterableFakeProvider extends FakeProvider implements FreeModelFilterControl {

  private volatile FreeModelFilter filter =
      new FreeModelFilter(false, false, OptionalDouble.empty());

  FilterableFakeProvider(String id, ProviderType type, ManualTimeSource clock) {
    super(id, type, clock);
  }

  @Override
  public FreeModelFilter freeModelFilter() {
    return filter;
  }

  @Override
  public void freeModelFilter(FreeModelFilter filter) {
    this.filter = filter;
  }

  @Override
  public List<ModelInfo> listModels(ModelFilter requested) {
    ModelFilter own = new ModelFilter(filter.showFreeOnly(), filter.maxCostPerToken(), Set.of());
    return super.listModels(requested).stream().filter(own::accepts).toList();
  }
}
