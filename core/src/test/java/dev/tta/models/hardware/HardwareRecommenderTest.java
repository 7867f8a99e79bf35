package dev.tta.models.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareRecommenderTest {
  private static final long GIB = 1_073_741_824L;

  /** 16 GiB RAM of which 12 GiB available, 8 cores, no GPU, 100 GiB free disk. */
  private static final HardwareProfile LAPTOP =
      new HardwareProfile(16 * GIB, 12 * GIB, 8, List.of(), 100 * GIB);

  // usable = floor(12 GiB x 0.9) = floor(12,884,901,888 x 0.9) = floor(11,596,411,699.2)
  private static final long LAPTOP_USABLE = 11_596_411_699L;

  private final HardwareRecommender recommender = new HardwareRecommender();

  private static ModelInfo local(String id, long estimatedBytes) {
    return ModelInfo.builder(ProviderId.of("ollama"), ProviderType.OLLAMA, id)
        .estimatedMemoryBytes(estimatedBytes)
        .build();
  }

  private static ModelInfo localUnknown(String id) {
    return ModelInfo.builder(ProviderId.of("llamacpp"), ProviderType.LOCAL, id).build();
  }

  private static ModelInfo remote(String id) {
    return ModelInfo.builder(ProviderId.of("openrouter"), ProviderType.OPENROUTER, id).build();
  }

  private static List<String> ids(List<ModelFit> fits) {
    return fits.stream().map(fit -> fit.model().id()).toList();
  }

  @Test
  void recommend_laptop_fittingFirstByHeadroomThenNotFittingThenUnknown() {
    List<ModelFit> fits =
        recommender.recommend(
            LAPTOP,
            List.of(
                local("llama3-8b", 6 * GIB),
                localUnknown("mystery"),
                remote("gpt-big"),
                local("llama3-70b", 40 * GIB),
                local("phi3-mini", 3 * GIB),
                local("qwen-14b", 11 * GIB)));

    // usable 11,596,411,699 bytes (about 10.8 GiB); headroom = usable - need:
    // phi3 3 GiB -> +7.8 GiB; llama3-8b 6 GiB -> +4.8 GiB (both fit)
    // qwen 11 GiB -> -0.2 GiB; llama3-70b 40 GiB -> -29.2 GiB (do not fit)
    // mystery: unknown, last; gpt-big: remote, skipped
    assertThat(ids(fits))
        .containsExactly("phi3-mini", "llama3-8b", "qwen-14b", "llama3-70b", "mystery");
    assertThat(fits).extracting(ModelFit::fits).containsExactly(true, true, false, false, false);
    assertThat(fits.get(0).requiredBytes()).isEqualTo(3 * GIB);
    assertThat(fits.get(0).availableBytes()).isEqualTo(12 * GIB);
  }

  @Test
  void recommend_reasons_giveTheFigures() {
    List<ModelFit> fits =
        recommender.recommend(
            LAPTOP, List.of(local("small", 6 * GIB), local("big", 11 * GIB), localUnknown("x")));

    assertThat(fits.get(0).reason())
        .isEqualTo("needs 6.0 GiB, within 10.8 GiB usable (90% of 12.0 GiB available RAM)");
    assertThat(fits.get(1).reason())
        .isEqualTo("needs 11.0 GiB, more than 10.8 GiB usable (90% of 12.0 GiB available RAM)");
    assertThat(fits.get(2).reason()).isEqualTo("memory need unknown: no estimate");
    assertThat(fits.get(2).requiredBytes()).isZero();
    assertThat(fits.get(2).availableBytes()).isEqualTo(12 * GIB);
  }

  @Test
  void recommend_needExactlyTheUsableShare_fits() {
    List<ModelFit> fits =
        recommender.recommend(
            LAPTOP, List.of(local("edge", LAPTOP_USABLE), local("past", LAPTOP_USABLE + 1)));

    assertThat(ids(fits)).containsExactly("edge", "past");
    assertThat(fits).extracting(ModelFit::fits).containsExactly(true, false);
  }

  @Test
  void recommend_gpuLargerThanAvailableRam_judgedAgainstTheLargestGpu() {
    HardwareProfile workstation =
        new HardwareProfile(
            32 * GIB,
            12 * GIB,
            16,
            List.of(
                new GpuInfo("Intel UHD 770", "Intel", 0),
                new GpuInfo("NVIDIA GeForce RTX 4090", "NVIDIA", 24 * GIB)),
            500 * GIB);

    List<ModelFit> fits = recommender.recommend(workstation, List.of(local("qwen-14b", 11 * GIB)));

    // 24 GiB x 0.9 = 21.6 GiB usable: 11 GiB fits on the GPU though not in 12 GiB x 0.9 of RAM
    assertThat(fits.get(0).fits()).isTrue();
    assertThat(fits.get(0).availableBytes()).isEqualTo(24 * GIB);
    assertThat(fits.get(0).reason())
        .isEqualTo(
            "needs 11.0 GiB, within 21.6 GiB usable (90% of 24.0 GiB memory of GPU NVIDIA GeForce"
                + " RTX 4090)");
  }

  @Test
  void recommend_gpuNoLargerThanAvailableRam_judgedAgainstRam() {
    HardwareProfile sameSize =
        new HardwareProfile(
            16 * GIB, 12 * GIB, 8, List.of(new GpuInfo("Radeon", "AMD", 12 * GIB)), 10 * GIB);

    List<ModelFit> fits = recommender.recommend(sameSize, List.of(local("m", GIB)));

    assertThat(fits.get(0).reason()).endsWith("(90% of 12.0 GiB available RAM)");
  }

  @Test
  void recommend_equalHeadroom_inModelKeyOrder() {
    List<ModelFit> fits =
        recommender.recommend(
            LAPTOP,
            List.of(local("b", GIB), local("a", GIB), localUnknown("z"), localUnknown("y")));

    assertThat(ids(fits)).containsExactly("a", "b", "y", "z");
  }

  @Test
  void recommend_onlyRemoteModels_empty() {
    assertThat(recommender.recommend(LAPTOP, List.of(remote("a"), remote("b")))).isEmpty();
  }

  @Test
  void recommend_customSafetyFraction_usesIt() {
    HardwareRecommender whole = new HardwareRecommender(1.0);

    // all 12 GiB usable: exactly 12 GiB fits
    List<ModelFit> fits = whole.recommend(LAPTOP, List.of(local("m", 12 * GIB)));

    assertThat(fits.get(0).fits()).isTrue();
    assertThat(fits.get(0).reason())
        .isEqualTo("needs 12.0 GiB, within 12.0 GiB usable (100% of 12.0 GiB available RAM)");
  }

  @Test
  void safetyFraction_outOfRange_rejected() {
    assertThatThrownBy(() -> new HardwareRecommender(0))
        .hasMessage("safety_fraction: must be above 0 and at most 1, was 0.0");
    assertThatThrownBy(() -> new HardwareRecommender(1.01))
        .hasMessage("safety_fraction: must be above 0 and at most 1, was 1.01");
    assertThat(HardwareRecommender.DEFAULT_SAFETY_FRACTION).isEqualTo(0.9);
  }

  @Test
  void arguments_missing_rejected() {
    assertThatThrownBy(() -> recommender.recommend(null, List.of()))
        .hasMessage("hardware: is required");
    assertThatThrownBy(() -> recommender.recommend(LAPTOP, null)).hasMessage("models: is required");
  }

  @Test
  void modelFit_invalidValues_rejected() {
    ModelInfo model = local("m", GIB);
    assertThatThrownBy(() -> new ModelFit(null, 0, 0, false, "r")).hasMessage("model: is required");
    assertThatThrownBy(() -> new ModelFit(model, -1, 0, false, "r"))
        .hasMessage("required_bytes: must not be negative");
    assertThatThrownBy(() -> new ModelFit(model, 0, -1, false, "r"))
        .hasMessage("available_bytes: must not be negative");
    assertThatThrownBy(() -> new ModelFit(model, 0, 0, false, " "))
        .hasMessage("reason: must not be blank");
  }
}
