package dev.tta.models.providers.spi;

import dev.tta.models.catalog.ProviderId;

/**
 * A provider's validated settings, which give the provider its configured name: {@link
 * AbstractModelProvider} answers {@link AbstractModelProvider#id()} from them, so a provider's id
 * can never differ from the one its settings name.
 */
public interface NamedSettings {

  /** The provider's name, the prefix of its model keys. */
  ProviderId id();
}
