package dev.tta.models.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareProfileTest {

  @Test
  void totalGpuMemoryBytes_sumOfTheAdapters() {
    HardwareProfile profile =
        new HardwareProfile(
            100, 50, 4, List.of(new GpuInfo("a", "x", 24), new GpuInfo("b", "y", 8)), 0);

    // 24 + 8 = 32
    assertThat(profile.totalGpuMemoryBytes()).isEqualTo(32);
  }

  @Test
  void edges_accepted() {
    // available may be 0 or the whole total; free disk may be 0
    assertThat(new HardwareProfile(1, 0, 1, List.of(), 0).availableMemoryBytes()).isZero();
    assertThat(new HardwareProfile(1, 1, 1, List.of(), 0).availableMemoryBytes()).isOne();
  }

  @Test
  void outOfRange_rejected() {
    assertThatThrownBy(() -> new HardwareProfile(0, 0, 1, List.of(), 0))
        .hasMessage("total_memory_bytes: must be greater than 0");
    assertThatThrownBy(() -> new HardwareProfile(10, 11, 1, List.of(), 0))
        .hasMessage("available_memory_bytes: must be between 0 and total_memory_bytes");
    assertThatThrownBy(() -> new HardwareProfile(10, -1, 1, List.of(), 0))
        .hasMessage("available_memory_bytes: must be between 0 and total_memory_bytes");
    assertThatThrownBy(() -> new HardwareProfile(10, 1, 0, List.of(), 0))
        .hasMessage("cpu_cores: must be greater than 0, was 0");
    assertThatThrownBy(() -> new HardwareProfile(10, 1, 1, List.of(), -1))
        .hasMessage("free_disk_bytes: must not be negative");
  }

  @Test
  void gpuInfo_namesDefaultToBlankAndMemoryMustNotBeNegative() {
    assertThat(new GpuInfo(null, null, 0)).isEqualTo(new GpuInfo("", "", 0));
    assertThat(new GpuInfo("n", "v", 0).name()).isEqualTo("n");
    assertThat(new GpuInfo("n", "v", 0).vendor()).isEqualTo("v");
    assertThatThrownBy(() -> new GpuInfo("n", "v", -1))
        .hasMessage("memory_bytes: must not be negative, was -1");
  }
}
