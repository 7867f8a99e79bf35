package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.ModelStats;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Chooses models for a request: drops those that break a hard requirement, scores the rest and
 * ranks them. The result is a pure function of the catalog, the requirements, the snapshot and the
 * configuration. Immutable apart from what it remembers to go faster (see {@link CatalogFacts}),
 * and safe to share between threads.
 *
 * <p>The hot path formats no text: candidates keep the numbers, and the derivations and drop
 * details are written when first read.
 */
public final class ModelSelector {

  /**
   * Score descending, then the tie-break position (effective cost ascending, then model key
   * ascending). Positions are places in one catalog, so this compares evaluations of one selection.
   */
  static final Comparator<Evaluation> RANKING =
      (a, b) -> {
        int byScore = Double.compare(b.score, a.score);
        return byScore != 0 ? byScore : Integer.compare(a.position, b.position);
      };

  private final SelectionConfig config;
  private final Scoring scoring;
  private final String[][] taskCapabilities;
  private final TaskAffinity[][] taskAffinities;
  private volatile CatalogFacts lastCatalog;

  public ModelSelector(SelectionConfig config) {
    this.config = Checks.notNull(config, "config");
    this.scoring = new Scoring(config);
    TaskType[] tasks = TaskType.values();
    this.taskCapabilities = new String[tasks.length][];
    this.taskAffinities = new TaskAffinity[tasks.length][];
    for (TaskType task : tasks) {
      taskCapabilities[task.ordinal()] = config.capabilitiesFor(task).toArray(new String[0]);
      taskAffinities[task.ordinal()] = config.affinitiesFor(task).toArray(new TaskAffinity[0]);
    }
  }

  public SelectionConfig config() {
    return config;
  }

  /**
   * Drops every model that breaks a hard requirement, reporting the first rule it breaks (in {@link
   * DropRule} order), and ranks the rest by score (see {@link Selection#ranked()}). Catalog keys
   * are expected to be unique; models with the same key and price keep catalog order.
   */
  public Selection select(
      List<ModelInfo> catalog, ModelRequirements requirements, SelectionSnapshot snapshot) {
    Checks.notNull(catalog, "catalog");
    Checks.notNull(requirements, "requirements");
    Checks.notNull(snapshot, "snapshot");
    CatalogFacts facts = factsFor(catalog);
    TaskType task = requirements.taskType();
    CatalogFacts.TaskFacts taskFacts =
        facts.forTask(task, taskCapabilities[task.ordinal()], taskAffinities[task.ordinal()]);
    Object[] statsByIndex = facts.align(snapshot.measurements());
    Object[] unavailableByIndex = facts.align(snapshot.unavailable());
    HardwareProfile hardware = snapshot.hardware().orElse(null);
    Limits limits = new Limits(requirements);

    int size = facts.size();
    Evaluation[] kept = new Evaluation[size];
    int keptCount = 0;
    Rejection[] rejected = new Rejection[size];
    int rejectedCount = 0;
    for (int i = 0; i < size; i++) {
      ModelInfo model = catalog.get(i);
      ModelStats stats = statsByIndex == null ? null : (ModelStats) statsByIndex[i];
      String unavailableReason = unavailableByIndex == null ? null : (String) unavailableByIndex[i];
      Rejection rejection = firstBrokenRule(model, limits, stats, unavailableReason, hardware);
      if (rejection == null) {
        kept[keptCount++] =
            new Evaluation(
                scoring,
                requirements,
                hardware,
                model,
                stats,
                taskFacts.taskMatches()[i],
                taskFacts.affinities()[i],
                facts.positions[i]);
      } else {
        rejected[rejectedCount++] = rejection;
      }
    }
    Evaluation[] sorted = rank(kept, keptCount, size);
    ScoredCandidate[] ranked = new ScoredCandidate[keptCount];
    for (int i = 0; i < keptCount; i++) {
      ranked[i] = new ScoredCandidate(sorted[i].model, sorted[i].score, sorted[i]);
    }
    return new Selection(
        requirements, Arrays.asList(ranked), new Rejections(rejected, rejectedCount));
  }

  /** The first hard rule the model breaks (same order as {@link #select}'s filters), if any. */
  public Optional<DroppedModel> check(
      ModelInfo model, ModelRequirements requirements, SelectionSnapshot snapshot) {
    Checks.notNull(model, "model");
    Checks.notNull(requirements, "requirements");
    Checks.notNull(snapshot, "snapshot");
    ModelKey key = model.key();
    Rejection rejection =
        firstBrokenRule(
            model,
            new Limits(requirements),
            snapshot.measurements().get(key),
            snapshot.unavailable().get(key),
            snapshot.hardware().orElse(null));
    return rejection == null ? Optional.empty() : Optional.of(rejection.toDroppedModel());
  }

  /** The requirements' limits, unpacked once per selection rather than once per model. */
  private static final class Limits {
    final boolean latencyLimited;
    final long maxLatencyMs;
    final double maxCostPerToken;
    final double minQualityScore;
    final boolean safetyRequired;
    final int contextLengthNeeded;
    final String[] requiredCapabilities;
    final Set<String> requiredCapabilitySet;

    Limits(ModelRequirements requirements) {
      latencyLimited = requirements.maxLatencyMs().isPresent();
      maxLatencyMs = requirements.maxLatencyMs().orElse(0);
      maxCostPerToken = requirements.maxCostPerToken().orElse(Double.POSITIVE_INFINITY);
      minQualityScore = requirements.minQualityScore().orElse(Double.NEGATIVE_INFINITY);
      safetyRequired = requirements.therapeuticSafetyRequired();
      contextLengthNeeded = requirements.contextLengthNeeded();
      requiredCapabilitySet = requirements.requiredCapabilities();
      requiredCapabilities = requiredCapabilitySet.toArray(new String[0]);
    }
  }

  private Rejection firstBrokenRule(
      ModelInfo model,
      Limits limits,
      ModelStats stats,
      String unavailableReason,
      HardwareProfile hardware) {
    if (unavailableReason != null) {
      return Rejection.unavailable(model, unavailableReason);
    }
    if (limits.latencyLimited) {
      boolean measured = stats != null && stats.successes() >= config.historyMinSamples();
      double estimate =
          measured
              ? stats.latency().p50Ms()
              : model.local() ? config.defaultLocalLatencyMs() : config.defaultRemoteLatencyMs();
      if (estimate > limits.maxLatencyMs) {
        return Rejection.latency(model, estimate, limits.maxLatencyMs, stats, measured);
      }
    }
    // A free model costs 0, so it passes every ceiling.
    if (model.effectiveCostPerToken() > limits.maxCostPerToken) {
      return Rejection.of(
          model, DropRule.COST, model.effectiveCostPerToken(), limits.maxCostPerToken);
    }
    double performance = scoring.performanceInput(model);
    if (performance < limits.minQualityScore) {
      return Rejection.of(model, DropRule.QUALITY, performance, limits.minQualityScore);
    }
    if (limits.safetyRequired) {
      OptionalDouble safety = model.therapeuticSafetyScore();
      // Unknown safety is trusted only from remote providers, as in the original.
      boolean unsafe =
          safety.isPresent()
              ? safety.getAsDouble() < config.minTherapeuticSafetyScore()
              : model.local();
      if (unsafe) {
        return Rejection.of(
            model, DropRule.SAFETY, safety.orElse(Double.NaN), config.minTherapeuticSafetyScore());
      }
    }
    // An unknown window is not held against a model: the provider's own refusal, if any, is a
    // context-length failure that falls back to a larger or unknown window.
    if (model.contextLength().isPresent()
        && model.contextLength().getAsInt() < limits.contextLengthNeeded) {
      return Rejection.of(
          model, DropRule.CONTEXT, model.contextLength().getAsInt(), limits.contextLengthNeeded);
    }
    for (String capability : limits.requiredCapabilities) {
      if (!model.hasCapability(capability)) {
        return Rejection.capabilities(model, limits.requiredCapabilitySet);
      }
    }
    if (scoring.hardwareKnown(model, hardware)
        && model.estimatedMemoryBytes().getAsLong() > hardware.availableMemoryBytes()) {
      return Rejection.of(
          model,
          DropRule.HARDWARE,
          model.estimatedMemoryBytes().getAsLong(),
          hardware.availableMemoryBytes());
    }
    return null;
  }

  /** The facts of this catalog: those of the last catalog when it is the same, else new ones. */
  CatalogFacts factsFor(List<ModelInfo> catalog) {
    CatalogFacts facts = lastCatalog;
    if (facts == null || !facts.describe(catalog)) {
      facts = CatalogFacts.of(catalog);
      lastCatalog = facts;
    }
    return facts;
  }

  /**
   * The first {@code count} evaluations in {@link #RANKING} order: {@linkplain #presort presorted},
   * then sorted with the comparator, which takes one linear pass over input already in order and
   * settles the rare scores the presort could not tell apart.
   *
   * @param catalogSize the number of tie-break positions
   */
  static Evaluation[] rank(Evaluation[] evaluations, int count, int catalogSize) {
    Evaluation[] sorted = presort(evaluations, count, catalogSize);
    Arrays.sort(sorted, RANKING);
    return sorted;
  }

  /**
   * The first {@code count} evaluations sorted by primitive keys, which is several times faster
   * than sorting objects with a comparator: each key is the score as an order-preserving long whose
   * lowest bits are replaced by the evaluation's tie-break position. Dropping low bits never
   * reverses two scores, and equal scores come out in position order, so the result is in {@link
   * #RANKING} order except among scores that differ only in the dropped bits.
   */
  static Evaluation[] presort(Evaluation[] evaluations, int count, int catalogSize) {
    long positionMask = positionMask(catalogSize);
    Evaluation[] byPosition = new Evaluation[catalogSize];
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      Evaluation evaluation = evaluations[i];
      byPosition[evaluation.position] = evaluation;
      keys[i] = (descendingKey(evaluation.score) & ~positionMask) | evaluation.position;
    }
    Arrays.sort(keys);
    Evaluation[] sorted = new Evaluation[count];
    for (int i = 0; i < count; i++) {
      sorted[i] = byPosition[(int) (keys[i] & positionMask)];
    }
    return sorted;
  }

  /** The low bits that hold every position below {@code catalogSize}. */
  static long positionMask(int catalogSize) {
    return (1L << (Integer.SIZE - Integer.numberOfLeadingZeros(catalogSize))) - 1;
  }

  /** A long that orders scores descending as longs order ascending. */
  static long descendingKey(double score) {
    long bits = Double.doubleToLongBits(score);
    return ~(bits ^ ((bits >> 63) & Long.MAX_VALUE));
  }
}
