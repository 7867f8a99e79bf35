package dev.tta.models.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelMemoryEstimatorTest {

  @Test
  void forWeights_7bAt4Point5Bits_weightsKvCacheAndOverhead() {
    MemoryEstimate estimate =
        ModelMemoryEstimator.forWeights(7_000_000_000L, 4.5, 4_096, 32, 4_096);

    // weights 7e9 x 4.5 / 8 = 3,937,500,000
    // KV 2 x 32 layers x 4,096 context x 4,096 embedding x 2 bytes = 2,147,483,648
    // overhead 512 MiB = 536,870,912
    // working set 3,937,500,000 + 2,147,483,648 + 536,870,912 = 6,621,854,560
    assertThat(estimate.ramBytes()).isEqualTo(6_621_854_560L);
    assertThat(estimate.vramBytes()).isEqualTo(6_621_854_560L);
    assertThat(estimate.diskBytes()).isEqualTo(3_937_500_000L);
  }

  @Test
  void forFile_fileSizeIsTheWeights() {
    MemoryEstimate estimate = ModelMemoryEstimator.forFile(4_081_004_224L, 2_048, 32, 4_096);

    // KV 2 x 32 x 2,048 x 4,096 x 2 = 1,073,741,824
    // 4,081,004,224 + 1,073,741,824 + 536,870,912 = 5,691,616,960
    assertThat(estimate)
        .isEqualTo(new MemoryEstimate(5_691_616_960L, 5_691_616_960L, 4_081_004_224L));
  }

  @Test
  void weightBytes_fractionalBytesRoundUp() {
    // 3 x 4.5 = 13.5 bits = 1.6875 bytes -> 2
    assertThat(ModelMemoryEstimator.weightBytes(3, 4.5)).isEqualTo(2);
    // 16 x 8 = 128 bits = exactly 16 bytes
    assertThat(ModelMemoryEstimator.weightBytes(16, 8)).isEqualTo(16);
    // 1 x 32 bits = 4 bytes: the widest format is accepted
    assertThat(ModelMemoryEstimator.weightBytes(1, 32)).isEqualTo(4);
  }

  @Test
  void kvCacheBytes_smallShape() {
    // 2 x 3 layers x 5 context x 7 embedding x 2 bytes = 420
    assertThat(ModelMemoryEstimator.kvCacheBytes(5, 3, 7)).isEqualTo(420);
  }

  @Test
  void kvCacheBytes_largeShape_doesNotOverflowInt() {
    // 2 x 80 x 131,072 x 8,192 x 2 = 343,597,383,680 (far above 2^31)
    assertThat(ModelMemoryEstimator.kvCacheBytes(131_072, 80, 8_192)).isEqualTo(343_597_383_680L);
  }

  @Test
  void constants_theDocumentedValues() {
    assertThat(ModelMemoryEstimator.RUNTIME_OVERHEAD_BYTES).isEqualTo(536_870_912L);
    assertThat(ModelMemoryEstimator.KV_BYTES_PER_VALUE).isEqualTo(2);
  }

  @Test
  void arguments_outOfRange_rejectedWithTheirName() {
    assertThatThrownBy(() -> ModelMemoryEstimator.weightBytes(0, 4))
        .hasMessage("parameter_count: must be greater than 0, was 0");
    assertThatThrownBy(() -> ModelMemoryEstimator.weightBytes(1, 0))
        .hasMessage("bits_per_weight: must be above 0 and at most 32.0, was 0.0");
    assertThatThrownBy(() -> ModelMemoryEstimator.weightBytes(1, 32.5))
        .hasMessage("bits_per_weight: must be above 0 and at most 32.0, was 32.5");
    assertThatThrownBy(() -> ModelMemoryEstimator.kvCacheBytes(0, 1, 1))
        .hasMessage("context_length: must be greater than 0, was 0");
    assertThatThrownBy(() -> ModelMemoryEstimator.kvCacheBytes(1, 0, 1))
        .hasMessage("layer_count: must be greater than 0, was 0");
    assertThatThrownBy(() -> ModelMemoryEstimator.kvCacheBytes(1, 1, 0))
        .hasMessage("embedding_length: must be greater than 0, was 0");
    assertThatThrownBy(() -> ModelMemoryEstimator.forFile(0, 1, 1, 1))
        .hasMessage("file_size_bytes: must be greater than 0, was 0");
  }

  @Test
  void memoryEstimate_nonPositive_rejected() {
    assertThatThrownBy(() -> new MemoryEstimate(0, 1, 1))
        .hasMessage("ram_bytes: must be greater than 0, was 0");
    assertThatThrownBy(() -> new MemoryEstimate(1, 0, 1))
        .hasMessage("vram_bytes: must be greater than 0, was 0");
    assertThatThrownBy(() -> new MemoryEstimate(1, 1, 0))
        .hasMessage("disk_bytes: must be greater than 0, was 0");
  }
}
