package dev.tta.models.hardware;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Judges which local models fit a machine. A model runs in the larger of the machine's available
 * RAM and its largest GPU's memory; it fits when its estimated need ({@link
 * ModelInfo#estimatedMemoryBytes()}) is at most that memory times the safety fraction, which leaves
 * room for the operating system and other processes. Remote models are skipped; local models
 * without an estimate are listed as not fitting, last.
 */
public final class HardwareRecommender {

  /** Plan for 90 % of the memory, keeping a tenth for everything else. */
  public static final double DEFAULT_SAFETY_FRACTION = 0.9;

  private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

  private final double safetyFraction;

  public HardwareRecommender() {
    this(DEFAULT_SAFETY_FRACTION);
  }

  /**
   * @param safetyFraction the share of the memory a model may use, above 0 and at most 1
   */
  public HardwareRecommender(double safetyFraction) {
    Checks.require(
        safetyFraction > 0 && safetyFraction <= 1,
        "safety_fraction",
        "must be above 0 and at most 1, was " + safetyFraction);
    this.safetyFraction = safetyFraction;
  }

  /**
   * The local models, judged: those that fit first, most headroom (usable memory left over) first;
   * then those that do not, closest to fitting first; then those whose need is unknown. Ties in
   * model key order.
   */
  public List<ModelFit> recommend(HardwareProfile hardware, List<ModelInfo> models) {
    Checks.notNull(hardware, "hardware");
    Checks.listOf(models, "models");
    Memory memory = memoryOf(hardware);
    long usable = (long) Math.floor(memory.bytes() * safetyFraction);
    List<Judged> judged = new ArrayList<>();
    for (ModelInfo model : models) {
      if (model.local()) {
        judged.add(judge(model, memory, usable));
      }
    }
    judged.sort(
        Comparator.comparing(Judged::known)
            .reversed()
            .thenComparing(Comparator.comparingLong(Judged::headroom).reversed())
            .thenComparing(j -> j.fit().model().key()));
    return judged.stream().map(Judged::fit).toList();
  }

  private Judged judge(ModelInfo model, Memory memory, long usable) {
    OptionalLong need = model.estimatedMemoryBytes();
    if (need.isEmpty()) {
      return new Judged(
          new ModelFit(model, 0, memory.bytes(), false, "memory need unknown: no estimate"),
          false,
          0);
    }
    long required = need.getAsLong();
    boolean fits = required <= usable;
    String reason =
        String.format(
            Locale.ROOT,
            "needs %s, %s %s usable (%s of %s %s)",
            gib(required),
            fits ? "within" : "more than",
            gib(usable),
            percent(safetyFraction),
            gib(memory.bytes()),
            memory.name());
    return new Judged(
        new ModelFit(model, required, memory.bytes(), fits, reason), true, usable - required);
  }

  private static Memory memoryOf(HardwareProfile hardware) {
    Memory ram = new Memory("available RAM", hardware.availableMemoryBytes());
    return hardware.gpus().stream()
        .max(Comparator.comparingLong(GpuInfo::memoryBytes))
        .filter(gpu -> gpu.memoryBytes() > ram.bytes())
        .map(gpu -> new Memory("memory of GPU " + gpu.name(), gpu.memoryBytes()))
        .orElse(ram);
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / BYTES_PER_GIB);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  private record Memory(String name, long bytes) {}

  private record Judged(ModelFit fit, boolean known, long headroom) {}
}
