package dev.tta.models.selection;

import static dev.tta.models.selection.Format.number;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.ModelStats;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * One candidate as the selector ranks it: the inputs of its score and the score. Also the
 * candidate's immutable list of terms, which recomputes each term with the same {@link Scoring} and
 * writes its derivation on first read, so that ranking a large catalog formats nothing.
 */
final class Evaluation extends AbstractList<ScoreTerm> implements RandomAccess {

  static final int TERM_COUNT = 9;

  private final Scoring scoring;
  private final ModelRequirements requirements;
  private final HardwareProfile hardware;
  final ModelInfo model;
  private final ModelStats stats;
  private final int taskMatches;
  private final TaskAffinity affinity;
  final double score;

  /** The model's place in the catalog ordered by effective cost, then key: the tie-break. */
  final int position;

  private volatile List<ScoreTerm> terms;

  Evaluation(
      Scoring scoring,
      ModelRequirements requirements,
      HardwareProfile hardware,
      ModelInfo model,
      ModelStats stats,
      int taskMatches,
      TaskAffinity affinity,
      int position) {
    this.scoring = scoring;
    this.requirements = requirements;
    this.hardware = hardware;
    this.model = model;
    this.stats = stats;
    this.taskMatches = taskMatches;
    this.affinity = affinity;
    this.position = position;
    this.score = scoring.score(model, requirements, stats, hardware, taskMatches, affinity);
  }

  @Override
  public ScoreTerm get(int index) {
    return terms().get(index);
  }

  @Override
  public int size() {
    return TERM_COUNT;
  }

  private List<ScoreTerm> terms() {
    List<ScoreTerm> written = terms;
    if (written == null) {
      written =
          List.of(
              new ScoreTerm(
                  ScoreTerm.PERFORMANCE, scoring.performance(model), performanceDerivation()),
              new ScoreTerm(ScoreTerm.SAFETY, scoring.safety(model), safetyDerivation()),
              new ScoreTerm(ScoreTerm.COST, scoring.cost(model), costDerivation()),
              new ScoreTerm(ScoreTerm.TASK, scoring.task(taskMatches), taskDerivation()),
              new ScoreTerm(ScoreTerm.AFFINITY, scoring.affinity(affinity), affinityDerivation()),
              new ScoreTerm(ScoreTerm.FREE, scoring.free(model, requirements), freeDerivation()),
              new ScoreTerm(ScoreTerm.LOCAL, scoring.local(model, requirements), localDerivation()),
              new ScoreTerm(
                  ScoreTerm.HARDWARE, scoring.hardware(model, hardware), hardwareDerivation()),
              new ScoreTerm(ScoreTerm.HISTORY, scoring.history(stats), historyDerivation()));
      terms = written;
    }
    return written;
  }

  private SelectionConfig config() {
    return scoring.config;
  }

  private String performanceDerivation() {
    String input = number(scoring.performanceInput(model));
    return (model.performanceScore().isPresent() ? input : "performance unknown, default " + input)
        + " x "
        + number(config().performanceWeight());
  }

  private String safetyDerivation() {
    String input = number(scoring.safetyInput(model));
    return (model.therapeuticSafetyScore().isPresent()
            ? input
            : "safety unknown, " + (model.local() ? "local" : "remote") + " default " + input)
        + " x "
        + number(config().safetyWeight());
  }

  private String costDerivation() {
    String costScore = number(scoring.costScore(model));
    return (model.free()
            ? "free, cost score " + costScore
            : "cost score max(0, 10 x (1 - "
                + number(model.effectiveCostPerToken())
                + " / "
                + number(config().costScoreZeroAtPerToken())
                + ")) = "
                + costScore)
        + " x "
        + number(config().costWeight());
  }

  private String taskDerivation() {
    TaskType task = requirements.taskType();
    Set<String> wanted = config().capabilitiesFor(task);
    List<String> matching = new ArrayList<>();
    for (String capability : wanted) {
      if (model.hasCapability(capability)) {
        matching.add(capability);
      }
    }
    return taskMatches
        + " of "
        + task.wireName()
        + "'s "
        + wanted
        + (matching.isEmpty() ? "" : " (" + String.join(", ", matching) + ")")
        + " x "
        + number(config().taskCapabilityBonus());
  }

  private String affinityDerivation() {
    String task = requirements.taskType().wireName();
    return affinity == null
        ? "no " + task + " affinity matches"
        : "'" + affinity.modelPattern() + "' for " + task + ", +" + number(affinity.bonus());
  }

  private String freeDerivation() {
    if (!requirements.preferFree()) {
      return "free models not preferred";
    }
    return model.free() ? "free and preferred, +" + number(config().freeBonus()) : "not free";
  }

  private String localDerivation() {
    if (!requirements.preferLocal()) {
      return "local models not preferred";
    }
    return model.local() ? "local and preferred, +" + number(config().localBonus()) : "not local";
  }

  private String hardwareDerivation() {
    if (!model.local()) {
      return "remote model";
    }
    if (model.estimatedMemoryBytes().isEmpty()) {
      return "memory need unknown";
    }
    if (hardware == null) {
      return "hardware unknown";
    }
    String fit =
        "needs "
            + Format.bytes(model.estimatedMemoryBytes().getAsLong())
            + " of "
            + Format.bytes(hardware.availableMemoryBytes())
            + " available";
    return scoring.headroom(model, hardware)
        ? fit
            + ", headroom (at least "
            + number(config().hardwareHeadroomFactor())
            + " x need), +"
            + number(config().hardwareHeadroomBonus())
        : fit + ", fits without headroom, +" + number(config().hardwareFitBonus());
  }

  private String historyDerivation() {
    if (stats == null) {
      return "no measurements";
    }
    if (!scoring.historyUsed(stats)) {
      return stats.calls() + " calls, fewer than the " + config().historyMinSamples() + " needed";
    }
    StringBuilder text = new StringBuilder();
    text.append(stats.calls())
        .append(" calls: success rate ")
        .append(number(stats.successRate()))
        .append(" vs ")
        .append(number(config().historySuccessBaseline()))
        .append(" -> ")
        .append(number(scoring.successPart(stats)))
        .append(" x ")
        .append(number(config().historySuccessWeight()));
    if (scoring.latencyMeasured(stats)) {
      text.append("; latency p50 ")
          .append(number(stats.latency().p50Ms()))
          .append(" ms vs ")
          .append(number(config().historyLatencyTargetMs()))
          .append(" -> ")
          .append(number(scoring.latencyPart(stats)))
          .append(" x ")
          .append(number(config().historyLatencyWeight()));
    } else {
      text.append("; no latency measured");
    }
    if (scoring.firstTokenMeasured(stats)) {
      text.append("; first token p50 ")
          .append(number(stats.timeToFirstToken().p50Ms()))
          .append(" ms vs ")
          .append(number(config().historyTimeToFirstTokenTargetMs()))
          .append(" -> ")
          .append(number(scoring.firstTokenPart(stats)))
          .append(" x ")
          .append(number(config().historyTimeToFirstTokenWeight()));
    } else {
      text.append("; no time to first token measured");
    }
    if (stats.qualityMean().isPresent()) {
      text.append("; quality ")
          .append(number(stats.qualityMean().getAsDouble()))
          .append(" -> ")
          .append(number(scoring.qualityPart(stats)))
          .append(" x ")
          .append(number(config().historyQualityWeight()));
    } else {
      text.append("; no quality supplied");
    }
    return text.toString();
  }
}
