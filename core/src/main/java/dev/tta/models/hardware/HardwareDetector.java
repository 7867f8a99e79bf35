package dev.tta.models.hardware;

import dev.tta.models.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oshi.SystemInfo;

/**
 * Reads what this machine offers to local models: RAM, logical processors, graphics adapters with
 * their memory where the operating system reports it, and free disk space where models are stored.
 * Values the operating system reports out of range are brought into range (available memory above
 * the total is the total, fewer than one processor is one, negative adapter memory is 0).
 */
public final class HardwareDetector {
  private final HardwareSource source;

  /** Reads the machine through OSHI. */
  public HardwareDetector() {
    this(new OshiHardwareSource(new SystemInfo()));
  }

  HardwareDetector(HardwareSource source) {
    this.source = source;
  }

  /**
   * @param modelDirectory where local models are stored; when it does not exist yet, the free space
   *     is that of its nearest existing parent, where it would be made
   * @throws IllegalStateException when the operating system reports no memory at all
   * @throws UncheckedIOException when the free space cannot be read
   */
  public HardwareProfile detect(Path modelDirectory) {
    Checks.notNull(modelDirectory, "model_directory");
    long total = source.totalMemoryBytes();
    if (total <= 0) {
      throw new IllegalStateException(
          "total memory: the operating system reported " + total + " bytes");
    }
    long available = Math.clamp(source.availableMemoryBytes(), 0, total);
    int cores = Math.max(1, source.logicalProcessors());
    List<GpuInfo> gpus =
        source.gpus().stream()
            .map(gpu -> new GpuInfo(gpu.name(), gpu.vendor(), Math.max(0, gpu.memoryBytes())))
            .toList();
    return new HardwareProfile(total, available, cores, gpus, freeDiskBytes(modelDirectory));
  }

  private long freeDiskBytes(Path modelDirectory) {
    Path existing = nearestExisting(modelDirectory.toAbsolutePath());
    try {
      return Math.max(0, source.usableSpaceBytes(existing));
    } catch (IOException e) {
      throw new UncheckedIOException("free disk space of " + existing + ": " + e.getMessage(), e);
    }
  }

  /** The path itself when it exists, else its closest existing parent (the root exists). */
  static Path nearestExisting(Path absolute) {
    Path candidate = absolute;
    while (!Files.exists(candidate)) {
      candidate = candidate.getParent();
    }
    return candidate;
  }
}
