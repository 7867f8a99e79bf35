package dev.tta.models.hardware;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link HardwareDetector} reads from the machine, as the operating system reports it,
 * unchecked: OSHI in production, a fake in tests.
 */
interface HardwareSource {

  long totalMemoryBytes();

  long availableMemoryBytes();

  int logicalProcessors();

  List<ReportedGpu> gpus();

  /** Free space usable by this process on the file store holding an existing directory. */
  long usableSpaceBytes(Path existingDirectory) throws IOException;

  /** A graphics adapter as reported: name and vendor may be null, memory 0 or even negative. */
  record ReportedGpu(String name, String vendor, long memoryBytes) {}
}
