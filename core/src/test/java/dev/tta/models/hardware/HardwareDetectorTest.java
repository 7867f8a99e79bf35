package dev.tta.models.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareDetectorTest {

  @TempDir Path models;

  /** Reports fixed figures and remembers which directory's free space was asked for. */
  private static final class FakeSource implements HardwareSource {
    long total = 16_000;
    long available = 12_000;
    int processors = 8;
    List<ReportedGpu> gpus = List.of();
    long usableSpace = 500;
    IOException failure;
    final List<Path> askedForSpace = new ArrayList<>();

    @Override
    public long totalMemoryBytes() {
      return total;
    }

    @Override
    public long availableMemoryBytes() {
      return available;
    }

    @Override
    public int logicalProcessors() {
      return processors;
    }

    @Override
    public List<ReportedGpu> gpus() {
      return gpus;
    }

    @Override
    public long usableSpaceBytes(Path existingDirectory) throws IOException {
      askedForSpace.add(existingDirectory);
      if (failure != null) {
        throw failure;
      }
      return usableSpace;
    }
  }

  private final FakeSource source = new FakeSource();
  private final HardwareDetector detector = new HardwareDetector(source);

  @Test
  void detect_thisMachine_saneRanges() {
    HardwareProfile profile = new HardwareDetector().detect(models);

    // only ranges can be checked on a machine whose figures are not known in advance
    assertThat(profile.totalMemoryBytes()).isPositive();
    assertThat(profile.availableMemoryBytes())
        .isPositive()
        .isLessThanOrEqualTo(profile.totalMemoryBytes());
    assertThat(profile.cpuCores())
        .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(profile.freeDiskBytes()).isPositive();
    assertThat(profile.gpus()).allSatisfy(gpu -> assertThat(gpu.memoryBytes()).isNotNegative());
  }

  @Test
  void detect_reportedFigures_takenAsTheyAre() {
    source.gpus = List.of(new HardwareSource.ReportedGpu("RTX 4090", "NVIDIA", 24_000));

    HardwareProfile profile = detector.detect(models);

    assertThat(profile)
        .isEqualTo(
            new HardwareProfile(
                16_000, 12_000, 8, List.of(new GpuInfo("RTX 4090", "NVIDIA", 24_000)), 500));
    assertThat(source.askedForSpace).containsExactly(models.toAbsolutePath());
  }

  @Test
  void detect_availableAboveTotal_isTheTotal() {
    source.available = 16_001;

    assertThat(detector.detect(models).availableMemoryBytes()).isEqualTo(16_000);
  }

  @Test
  void detect_negativeAvailable_isZero() {
    source.available = -1;

    assertThat(detector.detect(models).availableMemoryBytes()).isZero();
  }

  @Test
  void detect_noProcessorsReported_isOne() {
    source.processors = 0;

    assertThat(detector.detect(models).cpuCores()).isEqualTo(1);
  }

  @Test
  void detect_gpuWithNegativeMemoryAndNoNames_zeroAndBlankNames() {
    source.gpus = List.of(new HardwareSource.ReportedGpu(null, null, -5));

    assertThat(detector.detect(models).gpus()).containsExactly(new GpuInfo("", "", 0));
  }

  @Test
  void detect_negativeUsableSpace_isZero() {
    source.usableSpace = -1;

    assertThat(detector.detect(models).freeDiskBytes()).isZero();
  }

  @Test
  void detect_totalMemoryReportedAsOne_accepted() {
    source.total = 1;
    source.available = 1;

    assertThat(detector.detect(models).totalMemoryBytes()).isEqualTo(1);
  }

  @Test
  void detect_noTotalMemoryReported_fails() {
    source.total = 0;

    assertThatThrownBy(() -> detector.detect(models))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("total memory: the operating system reported 0 bytes");
  }

  @Test
  void detect_directoryNotMadeYet_freeSpaceOfItsNearestExistingParent() {
    Path notYet = models.resolve("gguf").resolve("llama");

    detector.detect(notYet);

    assertThat(source.askedForSpace).containsExactly(models.toAbsolutePath());
  }

  @Test
  void detect_freeSpaceUnreadable_uncheckedWithThePath() {
    source.failure = new IOException("permission denied");

    assertThatThrownBy(() -> detector.detect(models))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("free disk space of " + models.toAbsolutePath() + ": permission denied");
  }

  @Test
  void detect_missingDirectory_rejected() {
    assertThatThrownBy(() -> detector.detect(null)).hasMessage("model_directory: is required");
  }

  @Test
  void nearestExisting_existingFile_isItself() throws IOException {
    Path file = Files.createFile(models.resolve("model.gguf"));

    assertThat(HardwareDetector.nearestExisting(file)).isEqualTo(file);
  }
}
