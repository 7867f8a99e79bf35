package dev.tta.models.selection;

import static dev.tta.models.selection.Fixtures.remote;
import static dev.tta.models.selection.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogFactsTest {

  private final ModelInfo a = remote("a").costPerToken(0.002, 0).capabilities("chat").build();
  private final ModelInfo b = remote("b").build();
  private final ModelInfo c = remote("claude-c").costPerToken(0.001, 0).build();
  private final List<ModelInfo> catalog = List.of(a, b, c);
  private final CatalogFacts facts = CatalogFacts.of(catalog);

  @Test
  void of_keysAndTieBreakPositions() {
    // tie-break order: b (cost 0), claude-c (0.001), a (0.002)
    assertThat(facts.keys).containsExactly(a.key(), b.key(), c.key());
    assertThat(facts.positions).containsExactly(2, 0, 1);
    assertThat(facts.indexAtPosition).containsExactly(1, 2, 0);
    assertThat(facts.size()).isEqualTo(3);
  }

  @Test
  void of_equalCosts_positionsByKey() {
    ModelInfo z = remote("z").build();
    ModelInfo y = remote("y").build();

    CatalogFacts sameCost = CatalogFacts.of(List.of(z, y));

    assertThat(sameCost.positions).containsExactly(1, 0);
  }

  @Test
  void describe_sameInstancesInOrderOnly() {
    assertThat(facts.describe(catalog)).isTrue();
    assertThat(facts.describe(new ArrayList<>(catalog))).isTrue();
    assertThat(facts.describe(List.of(a, b))).isFalse();
    assertThat(facts.describe(List.of(a, b, c, c))).isFalse();
    assertThat(facts.describe(List.of(b, a, c))).isFalse();
    assertThat(facts.describe(List.of(a, b, remote("claude-c").costPerToken(0.001, 0).build())))
        .isFalse();
  }

  @Test
  void forTask_countsCapabilitiesAndFindsTheFirstAffinity() {
    TaskAffinity claude = new TaskAffinity(TaskType.GENERAL_CHAT, "claude", 1);
    TaskAffinity any = new TaskAffinity(TaskType.GENERAL_CHAT, "-", 2);

    CatalogFacts.TaskFacts task =
        facts.forTask(
            TaskType.GENERAL_CHAT,
            new String[] {"chat", "general"},
            new TaskAffinity[] {claude, any});

    assertThat(task.taskMatches()).containsExactly(1, 0, 0);
    assertThat(task.affinities()).containsExactly(null, null, claude);
  }

  @Test
  void forTask_rememberedPerTask() {
    CatalogFacts.TaskFacts first =
        facts.forTask(TaskType.GENERAL_CHAT, new String[] {"chat"}, new TaskAffinity[0]);

    CatalogFacts.TaskFacts again =
        facts.forTask(TaskType.GENERAL_CHAT, new String[] {"chat"}, new TaskAffinity[0]);
    CatalogFacts.TaskFacts other =
        facts.forTask(TaskType.WORLD_BUILDING, new String[0], new TaskAffinity[0]);

    assertThat(again).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(other.taskMatches()).containsExactly(0, 0, 0);
  }

  @Test
  void align_emptyMap_null() {
    assertThat(facts.align(Map.of())).isNull();
  }

  @Test
  void align_valuesByCatalogIndex() {
    Map<ModelKey, String> reasons = Map.of(c.key(), "open", remote("elsewhere").build().key(), "x");

    assertThat(facts.align(reasons)).containsExactly(null, null, "open");
  }

  @Test
  void align_lastTwoMapsRemembered() {
    Map<ModelKey, Object> first = Map.of(a.key(), stats(1, 1, 1));
    Map<ModelKey, Object> second = Map.of(b.key(), "open");
    Map<ModelKey, Object> third = Map.of(c.key(), "shut");

    Object[] firstAligned = facts.align(first);
    Object[] secondAligned = facts.align(second);

    assertThat(facts.align(first)).isSameAs(firstAligned);
    assertThat(facts.align(second)).isSameAs(secondAligned);
    facts.align(third);
    // third pushed out the older of the two
    assertThat(facts.align(second)).isSameAs(secondAligned);
    assertThat(facts.align(first))
        .isNotSameAs(firstAligned)
        .containsExactly(first.get(a.key()), null, null);
  }

  @Test
  void align_equalButDistinctMap_alignedAgain() {
    Map<ModelKey, Object> map = Map.of(a.key(), "open");
    Object[] aligned = facts.align(map);

    assertThat(facts.align(Map.copyOf(new java.util.HashMap<>(map)))).isNotSameAs(aligned);
  }
}
