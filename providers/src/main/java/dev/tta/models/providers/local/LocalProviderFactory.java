package dev.tta.models.providers.local;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.hardware.HardwareDetector;
import dev.tta.models.internal.Checks;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** Builds {@link LocalProvider}s from validated settings. */
public final class LocalProviderFactory {

  public static final ProviderType TYPE = ProviderType.LOCAL;

  private LocalProviderFactory() {}

  /** A provider whose memory check asks the operating system for the available memory. */
  public static LocalProvider create(LocalSettings settings) {
    HardwareDetector hardware = new HardwareDetector();
    return create(settings, () -> hardware.detect(Path.of(".")).availableMemoryBytes());
  }

  /** A provider whose memory check asks the given supplier (bytes available now). */
  public static LocalProvider create(LocalSettings settings, LongSupplier availableMemory) {
    Checks.notNull(settings, "settings");
    Checks.notNull(availableMemory, "available_memory");
    LocalRuntime.available();
    return new LocalProvider(settings, availableMemory);
  }
}
