package dev.tta.models.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** The machine as OSHI reads it; free disk space from the JDK's file store. */
final class OshiHardwareSource implements HardwareSource {
  private final HardwareAbstractionLayer hardware;

  OshiHardwareSource(SystemInfo systemInfo) {
    this.hardware = systemInfo.getHardware();
  }

  @Override
  public long totalMemoryBytes() {
    return hardware.getMemory().getTotal();
  }

  @Override
  public long availableMemoryBytes() {
    return hardware.getMemory().getAvailable();
  }

  @Override
  public int logicalProcessors() {
    return hardware.getProcessor().getLogicalProcessorCount();
  }

  @Override
  public List<ReportedGpu> gpus() {
    return hardware.getGraphicsCards().stream()
        .map(card -> new ReportedGpu(card.getName(), card.getVendor(), card.getVRam()))
        .toList();
  }

  @Override
  public long usableSpaceBytes(Path existingDirectory) throws IOException {
    return Files.getFileStore(existingDirectory).getUsableSpace();
  }
}
