package dev.tta.models.selection;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What selection needs to know about each model of one catalog that depends on nothing but the
 * catalog (and the task): its key, its place in the tie-break order, how many of the task's
 * capabilities it has and the first task affinity it matches. Matching affinity patterns and
 * comparing keys are the slowest parts of a selection, and a catalog changes rarely (its {@link
 * ModelInfo}s are the same instances while {@link CatalogCache} holds them), so the selector keeps
 * the facts of the last catalog it saw. For the same reason these keep the last snapshot maps
 * given, aligned with the catalog: a snapshot's maps are immutable, and the router may hand the
 * same ones to many selections. Thread-safe.
 */
final class CatalogFacts {

  /** Effective cost ascending, then key ascending: the ranking's tie-break. */
  private static final Comparator<ModelInfo> TIE_BREAK =
      Comparator.comparingDouble(ModelInfo::effectiveCostPerToken)
          .thenComparing(ModelInfo::providerId)
          .thenComparing(ModelInfo::id);

  private final ModelInfo[] models;
  final ModelKey[] keys;

  /** Each model's place in {@link #TIE_BREAK} order; distinct even for duplicate keys. */
  final int[] positions;

  /** The catalog index of the model at each place. */
  final int[] indexAtPosition;

  private final AtomicReferenceArray<TaskFacts> tasks =
      new AtomicReferenceArray<>(TaskType.values().length);
  private final AtomicReferenceArray<Alignment> alignments = new AtomicReferenceArray<>(2);

  /** Per model: how many of the task's capabilities it has; the first affinity it matches. */
  record TaskFacts(int[] taskMatches, TaskAffinity[] affinities) {}

  /** A snapshot map's values by catalog index. */
  private record Alignment(Map<ModelKey, ?> source, Object[] byIndex) {}

  private CatalogFacts(ModelInfo[] models) {
    this.models = models;
    int size = models.length;
    this.keys = new ModelKey[size];
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      keys[i] = models[i].key();
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> models[i], TIE_BREAK));
    this.positions = new int[size];
    this.indexAtPosition = new int[size];
    for (int position = 0; position < size; position++) {
      indexAtPosition[position] = order[position];
      positions[order[position]] = position;
    }
  }

  /** The facts of a catalog; a null model is rejected. */
  static CatalogFacts of(List<ModelInfo> catalog) {
    ModelInfo[] models = new ModelInfo[catalog.size()];
    for (int i = 0; i < models.length; i++) {
      ModelInfo model = catalog.get(i);
      if (model == null) {
        throw new IllegalArgumentException("catalog[" + i + "]: must not be null");
      }
      models[i] = model;
    }
    return new CatalogFacts(models);
  }

  /** Whether these are the facts of exactly this catalog: the same model instances in order. */
  boolean describe(List<ModelInfo> catalog) {
    int size = catalog.size();
    if (size != models.length) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (catalog.get(i) != models[i]) {
        return false;
      }
    }
    return true;
  }

  int size() {
    return models.length;
  }

  /**
   * The task facts, worked out on first use for each task.
   *
   * @param capabilities the task's capabilities
   * @param affinities the task's affinities, in configuration order
   */
  TaskFacts forTask(TaskType task, String[] capabilities, TaskAffinity[] affinities) {
    TaskFacts facts = tasks.get(task.ordinal());
    if (facts == null) {
      int[] taskMatches = new int[models.length];
      TaskAffinity[] matched = new TaskAffinity[models.length];
      for (int i = 0; i < models.length; i++) {
        ModelInfo model = models[i];
        for (String capability : capabilities) {
          if (model.hasCapability(capability)) {
            taskMatches[i]++;
          }
        }
        for (TaskAffinity affinity : affinities) {
          if (affinity.matches(model)) {
            matched[i] = affinity;
            break;
          }
        }
      }
      facts = new TaskFacts(taskMatches, matched);
      tasks.set(task.ordinal(), facts);
    }
    return facts;
  }

  /**
   * The map's values by catalog index (null where the map has none), or null when the map is empty.
   * Remembers the last two maps, as the selector passes two each time (measurements and unavailable
   * models).
   */
  Object[] align(Map<ModelKey, ?> map) {
    if (map.isEmpty()) {
      return null;
    }
    for (int slot = 0; slot < 2; slot++) {
      Alignment alignment = alignments.get(slot);
      if (alignment != null && alignment.source() == map) {
        return alignment.byIndex();
      }
    }
    Object[] byIndex = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      byIndex[i] = map.get(keys[i]);
    }
    alignments.set(1, alignments.getAndSet(0, new Alignment(map, byIndex)));
    return byIndex;
  }
}
