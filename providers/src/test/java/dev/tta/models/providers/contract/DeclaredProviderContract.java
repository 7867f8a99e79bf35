package dev.tta.models.providers.contract;

import dev.tta.models.provider.ModelProvider;
import dev.tta.models.testkit.ModelProviderContract;
import dev.tta.models.testkit.ProviderTarget;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The contract suite with the provider's capabilities and how to build it given up front: a
 * subclass supplies only its peer and its recordings.
 */
public abstract class DeclaredProviderContract extends ModelProviderContract {

  private final Set<Capability> capabilities;
  private final Function<ProviderTarget, ? extends ModelProvider> factory;

  protected DeclaredProviderContract(
      Set<Capability> capabilities, Function<ProviderTarget, ? extends ModelProvider> factory) {
    this.capabilities = Set.copyOf(capabilities);
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** Every capability but those the provider, or its recordings, lack. */
  protected static Set<Capability> allCapabilitiesBut(Capability... lacking) {
    Set<Capability> capabilities = EnumSet.allOf(Capability.class);
    capabilities.removeAll(List.of(lacking));
    return capabilities;
  }

  @Override
  protected final Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  protected final ModelProvider createProvider(ProviderTarget target) {
    return factory.apply(target);
  }
}
