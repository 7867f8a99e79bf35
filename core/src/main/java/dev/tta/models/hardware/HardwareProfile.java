package dev.tta.models.hardware;

import dev.tta.models.internal.Checks;
import java.util.List;

/**
 * What this machine offers to local models, read once by {@link HardwareDetector} (or written by
 * hand in tests).
 *
 * @param totalMemoryBytes physical RAM
 * @param availableMemoryBytes RAM free for new allocations now
 * @param cpuCores logical processors
 * @param gpus graphics adapters, possibly none
 * @param freeDiskBytes free space where models are stored
 */
public record HardwareProfile(
    long totalMemoryBytes,
    long availableMemoryBytes,
    int cpuCores,
    List<GpuInfo> gpus,
    long freeDiskBytes) {

  public HardwareProfile {
    Checks.require(totalMemoryBytes > 0, "total_memory_bytes", "must be greater than 0");
    Checks.require(
        availableMemoryBytes >= 0 && availableMemoryBytes <= totalMemoryBytes,
        "available_memory_bytes",
        "must be between 0 and total_memory_bytes");
    Checks.positive(cpuCores, "cpu_cores");
    gpus = Checks.listOf(gpus, "gpus");
    Checks.require(freeDiskBytes >= 0, "free_disk_bytes", "must not be negative");
  }

  public long totalGpuMemoryBytes() {
    return gpus.stream().mapToLong(GpuInfo::memoryBytes).sum();
  }
}
