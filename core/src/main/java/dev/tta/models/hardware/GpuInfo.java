package dev.tta.models.hardware;

import dev.tta.models.internal.Checks;

/**
 * A graphics adapter as the operating system reports it.
 *
 * @param name the adapter's name
 * @param vendor its vendor
 * @param memoryBytes its memory (VRAM); 0 when the OS does not report it
 */
public record GpuInfo(String name, String vendor, long memoryBytes) {
  public GpuInfo {
    name = name == null ? "" : name;
    vendor = vendor == null ? "" : vendor;
    Checks.require(memoryBytes >= 0, "memory_bytes", "must not be negative, was " + memoryBytes);
  }
}
