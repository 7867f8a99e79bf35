package dev.tta.models.selection;

import static dev.tta.models.catalog.TaskType.CHARACTER_DEVELOPMENT;
import static dev.tta.models.catalog.TaskType.CHOICE_GENERATION;
import static dev.tta.models.catalog.TaskType.CONSEQUENCE_ANALYSIS;
import static dev.tta.models.catalog.TaskType.DIALOGUE_GENERATION;
import static dev.tta.models.catalog.TaskType.GENERAL_CHAT;
import static dev.tta.models.catalog.TaskType.NARRATIVE_GENERATION;
import static dev.tta.models.catalog.TaskType.THERAPEUTIC_RESPONSE;
import static dev.tta.models.catalog.TaskType.WORLD_BUILDING;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.internal.Checks;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every weight, default and threshold of model selection. Immutable; {@link #defaults()} holds the
 * original's values where it had one and ours (marked so below) where it had none. The score terms
 * and filters are described in {@code docs/features/selection.md}.
 *
 * @param performanceWeight multiplies the performance score
 * @param safetyWeight multiplies the therapeutic safety score
 * @param costWeight multiplies the cost score
 * @param defaultPerformanceScore used when a model's performance score is unknown, also for the
 *     quality floor
 * @param defaultRemoteSafetyScore used when a remote model's safety score is unknown
 * @param defaultLocalSafetyScore used when a local model's safety score is unknown
 * @param minTherapeuticSafetyScore the lowest known safety score accepted when safety is required
 * @param costScoreZeroAtPerToken the effective price per token at which the cost score reaches 0
 * @param taskCapabilityBonus added per model capability in the task's capability set
 * @param taskCapabilities for every task, the capabilities that earn the task bonus
 * @param taskAffinities model-family bonuses; per task, the first matching entry applies
 * @param freeBonus added to a free model when the caller prefers free models
 * @param localBonus added to a local model when the caller prefers local models
 * @param hardwareHeadroomFactor a local model has headroom when available memory is at least this
 *     many times its need
 * @param hardwareHeadroomBonus added to a local model with headroom
 * @param hardwareFitBonus added to a local model that fits without headroom
 * @param defaultLocalLatencyMs the latency estimate of a local model without enough measurements
 * @param defaultRemoteLatencyMs the latency estimate of a remote model without enough measurements
 * @param historyMinSamples measurements needed before they are used (successful calls for the
 *     latency estimate, calls for the history term)
 * @param historySuccessBaseline the success rate that scores 0 in the history term
 * @param historySuccessWeight weight of the success-rate part of the history term
 * @param historyLatencyTargetMs the p50 latency that scores 0 in the history term
 * @param historyLatencyWeight weight of the latency part
 * @param historyTimeToFirstTokenTargetMs the p50 time to first token that scores 0
 * @param historyTimeToFirstTokenWeight weight of the time-to-first-token part
 * @param historyQualityWeight weight of the caller-supplied quality part
 */
public record SelectionConfig(
    double performanceWeight,
    double safetyWeight,
    double costWeight,
    double defaultPerformanceScore,
    double defaultRemoteSafetyScore,
    double defaultLocalSafetyScore,
    double minTherapeuticSafetyScore,
    double costScoreZeroAtPerToken,
    double taskCapabilityBonus,
    Map<TaskType, Set<String>> taskCapabilities,
    List<TaskAffinity> taskAffinities,
    double freeBonus,
    double localBonus,
    double hardwareHeadroomFactor,
    double hardwareHeadroomBonus,
    double hardwareFitBonus,
    long defaultLocalLatencyMs,
    long defaultRemoteLatencyMs,
    int historyMinSamples,
    double historySuccessBaseline,
    double historySuccessWeight,
    double historyLatencyTargetMs,
    double historyLatencyWeight,
    double historyTimeToFirstTokenTargetMs,
    double historyTimeToFirstTokenWeight,
    double historyQualityWeight) {

  /** The original's. */
  public static final double PERFORMANCE_WEIGHT = 0.3;

  /** The original's. */
  public static final double SAFETY_WEIGHT = 0.4;

  /** The original's. */
  public static final double COST_WEIGHT = 0.3;

  /** The original's. */
  public static final double DEFAULT_PERFORMANCE_SCORE = 5.0;

  /** The original's ("conservative default for unknown safety" from cloud providers). */
  public static final double DEFAULT_REMOTE_SAFETY_SCORE = 7.0;

  /** The original's. */
  public static final double DEFAULT_LOCAL_SAFETY_SCORE = 5.0;

  /** The original's. */
  public static final double MIN_THERAPEUTIC_SAFETY_SCORE = 7.0;

  /** The original's ("assuming max acceptable cost of $0.01 per token"). */
  public static final double COST_SCORE_ZERO_AT_PER_TOKEN = 0.01;

  /** The original's. */
  public static final double TASK_CAPABILITY_BONUS = 0.5;

  /** The original's capability lists, one per task. */
  public static final Map<TaskType, Set<String>> DEFAULT_TASK_CAPABILITIES =
      taskMap(
          Map.of(
              NARRATIVE_GENERATION, Set.of("creative_writing", "storytelling", "long_form"),
              DIALOGUE_GENERATION, Set.of("conversation", "chat", "dialogue"),
              CHARACTER_DEVELOPMENT, Set.of("character", "personality", "psychology"),
              THERAPEUTIC_RESPONSE, Set.of("empathy", "safety", "therapeutic"),
              WORLD_BUILDING, Set.of("creative_writing", "world_building", "description"),
              CHOICE_GENERATION, Set.of("decision_making", "options", "branching"),
              CONSEQUENCE_ANALYSIS, Set.of("analysis", "reasoning", "logic"),
              GENERAL_CHAT, Set.of("chat", "conversation", "general")));

  /**
   * The original's families and bonuses. Its patterns were OpenRouter ids with a vendor prefix
   * ({@code anthropic/claude}); ours are the family names alone, so that the same family matches on
   * every provider (OpenRouter's {@code meta-llama/llama-3.1-8b-instruct}, Ollama's {@code
   * llama3.1:8b}, Anthropic's {@code claude-...}).
   */
  public static final List<TaskAffinity> DEFAULT_TASK_AFFINITIES =
      List.of(
          new TaskAffinity(NARRATIVE_GENERATION, "claude", 2.0),
          new TaskAffinity(NARRATIVE_GENERATION, "llama-3.1", 1.5),
          new TaskAffinity(NARRATIVE_GENERATION, "llama3.1", 1.5),
          new TaskAffinity(NARRATIVE_GENERATION, "qwen2.5", 1.0),
          new TaskAffinity(NARRATIVE_GENERATION, "qwen-2.5", 1.0),
          new TaskAffinity(THERAPEUTIC_RESPONSE, "claude", 2.5),
          new TaskAffinity(THERAPEUTIC_RESPONSE, "gpt-4", 2.0),
          new TaskAffinity(THERAPEUTIC_RESPONSE, "llama-3.1", 1.0),
          new TaskAffinity(THERAPEUTIC_RESPONSE, "llama3.1", 1.0),
          new TaskAffinity(DIALOGUE_GENERATION, "llama-3.1", 2.0),
          new TaskAffinity(DIALOGUE_GENERATION, "llama3.1", 2.0),
          new TaskAffinity(DIALOGUE_GENERATION, "claude", 1.5),
          new TaskAffinity(DIALOGUE_GENERATION, "qwen2.5", 1.0),
          new TaskAffinity(DIALOGUE_GENERATION, "qwen-2.5", 1.0));

  /** The original's. */
  public static final double FREE_BONUS = 1.0;

  /** The original's. */
  public static final double LOCAL_BONUS = 1.0;

  /** The original's ("plenty of RAM": available at least 1.5 times the need). */
  public static final double HARDWARE_HEADROOM_FACTOR = 1.5;

  /** The original's. */
  public static final double HARDWARE_HEADROOM_BONUS = 1.0;

  /** The original's ("sufficient RAM"). */
  public static final double HARDWARE_FIT_BONUS = 0.5;

  /** Ours: a few hundred tokens from a 7-8B model on a workstation without a large GPU. */
  public static final long DEFAULT_LOCAL_LATENCY_MS = 4_000;

  /** Ours: a hosted model's typical answer of a few hundred tokens. */
  public static final long DEFAULT_REMOTE_LATENCY_MS = 2_000;

  /** Ours: fewer calls say too little about a model to outweigh its catalog data. */
  public static final int HISTORY_MIN_SAMPLES = 5;

  /** The original's (its reliability bonus started above a 90 % success rate). */
  public static final double HISTORY_SUCCESS_BASELINE = 0.9;

  /** The original's (its reliability bonus reached 1.0 at a 100 % success rate). */
  public static final double HISTORY_SUCCESS_WEIGHT = 1.0;

  /** Ours, equal to {@link #DEFAULT_REMOTE_LATENCY_MS}. */
  public static final double HISTORY_LATENCY_TARGET_MS = 2_000;

  /** Ours. */
  public static final double HISTORY_LATENCY_WEIGHT = 0.5;

  /** Ours: the point where a streamed answer starts to feel slow. */
  public static final double HISTORY_TIME_TO_FIRST_TOKEN_TARGET_MS = 500;

  /** Ours. */
  public static final double HISTORY_TIME_TO_FIRST_TOKEN_WEIGHT = 0.25;

  /** Ours (the original gave 1 to 3 points for any recorded quality; we centre on 5). */
  public static final double HISTORY_QUALITY_WEIGHT = 1.0;

  private static final SelectionConfig DEFAULTS = new Builder().build();

  public SelectionConfig {
    weight(performanceWeight, "performance_weight");
    weight(safetyWeight, "safety_weight");
    weight(costWeight, "cost_weight");
    score(defaultPerformanceScore, "default_performance_score");
    score(defaultRemoteSafetyScore, "default_remote_safety_score");
    score(defaultLocalSafetyScore, "default_local_safety_score");
    score(minTherapeuticSafetyScore, "min_therapeutic_safety_score");
    Checks.require(
        Double.isFinite(costScoreZeroAtPerToken) && costScoreZeroAtPerToken > 0,
        "cost_score_zero_at_per_token",
        "must be a finite number greater than 0, was " + costScoreZeroAtPerToken);
    bonus(taskCapabilityBonus, "task_capability_bonus");
    taskCapabilities = taskMap(Checks.notNull(taskCapabilities, "task_capabilities"));
    taskAffinities = Checks.listOf(taskAffinities, "task_affinities");
    bonus(freeBonus, "free_bonus");
    bonus(localBonus, "local_bonus");
    Checks.require(
        Double.isFinite(hardwareHeadroomFactor) && hardwareHeadroomFactor >= 1,
        "hardware_headroom_factor",
        "must be a finite number of at least 1, was " + hardwareHeadroomFactor);
    bonus(hardwareHeadroomBonus, "hardware_headroom_bonus");
    bonus(hardwareFitBonus, "hardware_fit_bonus");
    Checks.positive(defaultLocalLatencyMs, "default_local_latency_ms");
    Checks.positive(defaultRemoteLatencyMs, "default_remote_latency_ms");
    Checks.positive(historyMinSamples, "history_min_samples");
    Checks.require(
        historySuccessBaseline >= 0 && historySuccessBaseline < 1,
        "history_success_baseline",
        "must be at least 0 and below 1, was " + historySuccessBaseline);
    weight(historySuccessWeight, "history_success_weight");
    target(historyLatencyTargetMs, "history_latency_target_ms");
    weight(historyLatencyWeight, "history_latency_weight");
    target(historyTimeToFirstTokenTargetMs, "history_time_to_first_token_target_ms");
    weight(historyTimeToFirstTokenWeight, "history_time_to_first_token_weight");
    weight(historyQualityWeight, "history_quality_weight");
  }

  /** The original's selection, with our defaults where it had none. */
  public static SelectionConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The capabilities that earn the task bonus for a task; empty when none are configured. */
  public Set<String> capabilitiesFor(TaskType task) {
    return taskCapabilities.get(task);
  }

  /** The affinities of one task, in configuration order. */
  public List<TaskAffinity> affinitiesFor(TaskType task) {
    return taskAffinities.stream().filter(affinity -> affinity.task() == task).toList();
  }

  private static void weight(double value, String field) {
    Checks.notNegative(value, field);
  }

  private static void score(double value, String field) {
    Checks.inRange(value, ModelInfo.MIN_SCORE, ModelInfo.MAX_SCORE, field);
  }

  private static void bonus(double value, String field) {
    Checks.require(Double.isFinite(value), field, "must be a finite number, was " + value);
  }

  private static void target(double value, String field) {
    Checks.require(
        Double.isFinite(value) && value > 0,
        field,
        "must be a finite number greater than 0, was " + value);
  }

  /** Every task present (empty when not given), labels normalised, in task order. */
  private static Map<TaskType, Set<String>> taskMap(Map<TaskType, Set<String>> given) {
    EnumMap<TaskType, Set<String>> complete = new EnumMap<>(TaskType.class);
    for (TaskType task : TaskType.values()) {
      Set<String> capabilities = given.get(task);
      complete.put(
          task,
          Checks.labels(
              capabilities == null ? Set.of() : capabilities,
              "task_capabilities." + task.wireName()));
    }
    return Collections.unmodifiableMap(complete);
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private double performanceWeight = PERFORMANCE_WEIGHT;
    private double safetyWeight = SAFETY_WEIGHT;
    private double costWeight = COST_WEIGHT;
    private double defaultPerformanceScore = DEFAULT_PERFORMANCE_SCORE;
    private double defaultRemoteSafetyScore = DEFAULT_REMOTE_SAFETY_SCORE;
    private double defaultLocalSafetyScore = DEFAULT_LOCAL_SAFETY_SCORE;
    private double minTherapeuticSafetyScore = MIN_THERAPEUTIC_SAFETY_SCORE;
    private double costScoreZeroAtPerToken = COST_SCORE_ZERO_AT_PER_TOKEN;
    private double taskCapabilityBonus = TASK_CAPABILITY_BONUS;
    private final EnumMap<TaskType, Set<String>> taskCapabilities =
        new EnumMap<>(DEFAULT_TASK_CAPABILITIES);
    private List<TaskAffinity> taskAffinities = DEFAULT_TASK_AFFINITIES;
    private double freeBonus = FREE_BONUS;
    private double localBonus = LOCAL_BONUS;
    private double hardwareHeadroomFactor = HARDWARE_HEADROOM_FACTOR;
    private double hardwareHeadroomBonus = HARDWARE_HEADROOM_BONUS;
    private double hardwareFitBonus = HARDWARE_FIT_BONUS;
    private long defaultLocalLatencyMs = DEFAULT_LOCAL_LATENCY_MS;
    private long defaultRemoteLatencyMs = DEFAULT_REMOTE_LATENCY_MS;
    private int historyMinSamples = HISTORY_MIN_SAMPLES;
    private double historySuccessBaseline = HISTORY_SUCCESS_BASELINE;
    private double historySuccessWeight = HISTORY_SUCCESS_WEIGHT;
    private double historyLatencyTargetMs = HISTORY_LATENCY_TARGET_MS;
    private double historyLatencyWeight = HISTORY_LATENCY_WEIGHT;
    private double historyTimeToFirstTokenTargetMs = HISTORY_TIME_TO_FIRST_TOKEN_TARGET_MS;
    private double historyTimeToFirstTokenWeight = HISTORY_TIME_TO_FIRST_TOKEN_WEIGHT;
    private double historyQualityWeight = HISTORY_QUALITY_WEIGHT;

    private Builder() {}

    private Builder(SelectionConfig config) {
      performanceWeight = config.performanceWeight;
      safetyWeight = config.safetyWeight;
      costWeight = config.costWeight;
      defaultPerformanceScore = config.defaultPerformanceScore;
      defaultRemoteSafetyScore = config.defaultRemoteSafetyScore;
      defaultLocalSafetyScore = config.defaultLocalSafetyScore;
      minTherapeuticSafetyScore = config.minTherapeuticSafetyScore;
      costScoreZeroAtPerToken = config.costScoreZeroAtPerToken;
      taskCapabilityBonus = config.taskCapabilityBonus;
      taskCapabilities.putAll(config.taskCapabilities);
      taskAffinities = config.taskAffinities;
      freeBonus = config.freeBonus;
      localBonus = config.localBonus;
      hardwareHeadroomFactor = config.hardwareHeadroomFactor;
      hardwareHeadroomBonus = config.hardwareHeadroomBonus;
      hardwareFitBonus = config.hardwareFitBonus;
      defaultLocalLatencyMs = config.defaultLocalLatencyMs;
      defaultRemoteLatencyMs = config.defaultRemoteLatencyMs;
      historyMinSamples = config.historyMinSamples;
      historySuccessBaseline = config.historySuccessBaseline;
      historySuccessWeight = config.historySuccessWeight;
      historyLatencyTargetMs = config.historyLatencyTargetMs;
      historyLatencyWeight = config.historyLatencyWeight;
      historyTimeToFirstTokenTargetMs = config.historyTimeToFirstTokenTargetMs;
      historyTimeToFirstTokenWeight = config.historyTimeToFirstTokenWeight;
      historyQualityWeight = config.historyQualityWeight;
    }

    public Builder performanceWeight(double weight) {
      this.performanceWeight = weight;
      return this;
    }

    public Builder safetyWeight(double weight) {
      this.safetyWeight = weight;
      return this;
    }

    public Builder costWeight(double weight) {
      this.costWeight = weight;
      return this;
    }

    public Builder defaultPerformanceScore(double score) {
      this.defaultPerformanceScore = score;
      return this;
    }

    public Builder defaultRemoteSafetyScore(double score) {
      this.defaultRemoteSafetyScore = score;
      return this;
    }

    public Builder defaultLocalSafetyScore(double score) {
      this.defaultLocalSafetyScore = score;
      return this;
    }

    public Builder minTherapeuticSafetyScore(double score) {
      this.minTherapeuticSafetyScore = score;
      return this;
    }

    public Builder costScoreZeroAtPerToken(double costPerToken) {
      this.costScoreZeroAtPerToken = costPerToken;
      return this;
    }

    public Builder taskCapabilityBonus(double bonus) {
      this.taskCapabilityBonus = bonus;
      return this;
    }

    /** Replaces the capabilities of one task. */
    public Builder taskCapabilities(TaskType task, Collection<String> capabilities) {
      this.taskCapabilities.put(
          Checks.notNull(task, "task"), Set.copyOf(Checks.notNull(capabilities, "capabilities")));
      return this;
    }

    /** Replaces the capabilities of every task; tasks not in the map get none. */
    public Builder taskCapabilities(Map<TaskType, Set<String>> capabilities) {
      Checks.notNull(capabilities, "task_capabilities");
      this.taskCapabilities.clear();
      this.taskCapabilities.putAll(capabilities);
      return this;
    }

    public Builder taskAffinities(List<TaskAffinity> affinities) {
      this.taskAffinities = affinities;
      return this;
    }

    public Builder freeBonus(double bonus) {
      this.freeBonus = bonus;
      return this;
    }

    public Builder localBonus(double bonus) {
      this.localBonus = bonus;
      return this;
    }

    public Builder hardwareHeadroomFactor(double factor) {
      this.hardwareHeadroomFactor = factor;
      return this;
    }

    public Builder hardwareHeadroomBonus(double bonus) {
      this.hardwareHeadroomBonus = bonus;
      return this;
    }

    public Builder hardwareFitBonus(double bonus) {
      this.hardwareFitBonus = bonus;
      return this;
    }

    public Builder defaultLocalLatencyMs(long ms) {
      this.defaultLocalLatencyMs = ms;
      return this;
    }

    public Builder defaultRemoteLatencyMs(long ms) {
      this.defaultRemoteLatencyMs = ms;
      return this;
    }

    public Builder historyMinSamples(int samples) {
      this.historyMinSamples = samples;
      return this;
    }

    public Builder historySuccessBaseline(double rate) {
      this.historySuccessBaseline = rate;
      return this;
    }

    public Builder historySuccessWeight(double weight) {
      this.historySuccessWeight = weight;
      return this;
    }

    public Builder historyLatencyTargetMs(double ms) {
      this.historyLatencyTargetMs = ms;
      return this;
    }

    public Builder historyLatencyWeight(double weight) {
      this.historyLatencyWeight = weight;
      return this;
    }

    public Builder historyTimeToFirstTokenTargetMs(double ms) {
      this.historyTimeToFirstTokenTargetMs = ms;
      return this;
    }

    public Builder historyTimeToFirstTokenWeight(double weight) {
      this.historyTimeToFirstTokenWeight = weight;
      return this;
    }

    public Builder historyQualityWeight(double weight) {
      this.historyQualityWeight = weight;
      return this;
    }

    public SelectionConfig build() {
      return new SelectionConfig(
          performanceWeight,
          safetyWeight,
          costWeight,
          defaultPerformanceScore,
          defaultRemoteSafetyScore,
          defaultLocalSafetyScore,
          minTherapeuticSafetyScore,
          costScoreZeroAtPerToken,
          taskCapabilityBonus,
          taskCapabilities,
          taskAffinities,
          freeBonus,
          localBonus,
          hardwareHeadroomFactor,
          hardwareHeadroomBonus,
          hardwareFitBonus,
          defaultLocalLatencyMs,
          defaultRemoteLatencyMs,
          historyMinSamples,
          historySuccessBaseline,
          historySuccessWeight,
          historyLatencyTargetMs,
          historyLatencyWeight,
          historyTimeToFirstTokenTargetMs,
          historyTimeToFirstTokenWeight,
          historyQualityWeight);
    }
  }
}
