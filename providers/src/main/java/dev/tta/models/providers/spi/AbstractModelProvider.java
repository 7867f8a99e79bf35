package dev.tta.models.providers.spi;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import java.util.List;

/**
 * The part of the {@link ModelProvider} SPI that every built-in provider fills the same way: its
 * settings, the name they give it, its type, and a listing that is its catalog narrowed by the
 * caller's filter. A subclass says what its catalog is and how a model is loaded, unloaded and
 * checked; {@link HttpModelProvider} does that for the providers whose models a server runs.
 *
 * @param <S> the provider's validated settings, which its factory built it from
 */
public abstract class AbstractModelProvider<S extends NamedSettings> implements ModelProvider {

  private final ProviderType type;
  private final S settings;

  protected AbstractModelProvider(ProviderType type, S settings) {
    this.type = Checks.notNull(type, "type");
    this.settings = Checks.notNull(settings, "settings");
  }

  /** The settings this provider was built from. */
  public final S settings() {
    return settings;
  }

  @Override
  public final ProviderId id() {
    return settings.id();
  }

  @Override
  public final ProviderType type() {
    return type;
  }

  /**
   * The models of the {@linkplain #catalog() catalog} that pass the filter.
   *
   * @throws ProviderException when reading the catalog failed
   */
  @Override
  public final List<ModelInfo> listModels(ModelFilter filter) {
    return catalog().stream().filter(filter::accepts).toList();
  }

  /**
   * Every model this provider offers now, read anew on each call.
   *
   * @throws ProviderException when the models cannot be read (an unreachable server, a listing it
   *     cannot parse)
   */
  protected abstract List<ModelInfo> catalog();
}
