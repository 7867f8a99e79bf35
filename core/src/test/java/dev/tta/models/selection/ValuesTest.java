package dev.tta.models.selection;

import static dev.tta.models.selection.Fixtures.remote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.ModelStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small records of the selection API: their checks and helpers. */
class ValuesTest {

  private final ModelInfo model = remote("m").build();

  @Test
  void scoreTerm_checksItsFields() {
    assertThat(new ScoreTerm("cost", -0.5, "").value()).isEqualTo(-0.5);
    assertThatThrownBy(() -> new ScoreTerm(" ", 1, "x")).hasMessage("name: must not be blank");
    assertThatThrownBy(() -> new ScoreTerm("cost", Double.NaN, "x"))
        .hasMessage("value: must be a finite number, was NaN");
    assertThatThrownBy(() -> new ScoreTerm("cost", Double.POSITIVE_INFINITY, "x"))
        .hasMessage("value: must be a finite number, was Infinity");
    assertThatThrownBy(() -> new ScoreTerm("cost", 1, null)).hasMessage("derivation: is required");
  }

  @Test
  void droppedModel_checksItsFields() {
    assertThatThrownBy(() -> new DroppedModel(null, DropRule.COST, "x"))
        .hasMessage("model: is required");
    assertThatThrownBy(() -> new DroppedModel(model, null, "x")).hasMessage("rule: is required");
    assertThatThrownBy(() -> new DroppedModel(model, DropRule.COST, ""))
        .hasMessage("detail: must not be blank");
  }

  @Test
  void scoredCandidate_checksAndCopies() {
    List<ScoreTerm> terms = new ArrayList<>(List.of(new ScoreTerm("cost", 1, "x")));
    ScoredCandidate candidate = new ScoredCandidate(model, 1, terms);
    terms.clear();

    assertThat(candidate.terms()).hasSize(1);
    assertThatThrownBy(() -> new ScoredCandidate(null, 1, List.of()))
        .hasMessage("model: is required");
    assertThatThrownBy(() -> new ScoredCandidate(model, Double.NaN, List.of()))
        .hasMessage("score: must be a finite number, was NaN");
    assertThatThrownBy(() -> new ScoredCandidate(model, 1, null)).hasMessage("terms: is required");
    assertThatThrownBy(() -> new ScoredCandidate(model, 1, Arrays.asList((ScoreTerm) null)))
        .hasMessage("terms[0]: must not be null");
  }

  @Test
  void scoredCandidate_termByName() {
    ScoredCandidate candidate =
        new ScoredCandidate(
            model, 3, List.of(new ScoreTerm("cost", 1, "a"), new ScoreTerm("safety", 2, "b")));

    assertThat(candidate.term("safety").derivation()).isEqualTo("b");
    assertThat(candidate.term("cost").derivation()).isEqualTo("a");
    assertThatThrownBy(() -> candidate.term("history"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: no term named 'history'");
  }

  @Test
  void taskAffinity_checksItsFieldsAndTrimsThePattern() {
    assertThat(new TaskAffinity(TaskType.GENERAL_CHAT, "  claude ", 1).modelPattern())
        .isEqualTo("claude");
    assertThatThrownBy(() -> new TaskAffinity(null, "claude", 1)).hasMessage("task: is required");
    assertThatThrownBy(() -> new TaskAffinity(TaskType.GENERAL_CHAT, "", 1))
        .hasMessage("model_pattern: must not be blank");
    assertThatThrownBy(() -> new TaskAffinity(TaskType.GENERAL_CHAT, "x", Double.NaN))
        .hasMessage("bonus: must be a finite number, was NaN");
  }

  @Test
  void taskAffinity_matchesIdOrNameAnywhereIgnoringCase() {
    TaskAffinity affinity = new TaskAffinity(TaskType.GENERAL_CHAT, "Llama-3.1", 1);

    assertThat(affinity.matches(remote("meta-llama/llama-3.1-8b").build())).isTrue();
    assertThat(affinity.matches(remote("LLAMA-3.1").build())).isTrue();
    assertThat(affinity.matches(remote("x").name("Meta LLaMA-3.1 8B").build())).isTrue();
    assertThat(affinity.matches(remote("meta-llama/llama-3.1-8b").name("Meta 8B").build()))
        .isTrue();
    assertThat(affinity.matches(remote("meta-llama/llama-3.2-3b").build())).isFalse();
    assertThat(affinity.matches(remote("llama-3.").build())).isFalse();
    assertThat(affinity.matches(remote("llama-3.1").build())).isTrue();
  }

  @Test
  void selectionSnapshot_copiesAndChecks() {
    ModelKey key = model.key();
    Map<ModelKey, ModelStats> measurements = new HashMap<>();
    Map<ModelKey, String> unavailable = new HashMap<>(Map.of(key, "open"));
    SelectionSnapshot snapshot = new SelectionSnapshot(measurements, Optional.empty(), unavailable);
    unavailable.clear();

    assertThat(snapshot.unavailable()).containsEntry(key, "open");
    assertThatThrownBy(() -> new SelectionSnapshot(null, Optional.empty(), Map.of()))
        .hasMessage("measurements: is required");
    assertThatThrownBy(() -> new SelectionSnapshot(Map.of(), null, Map.of()))
        .hasMessage("hardware: is required");
    assertThatThrownBy(() -> new SelectionSnapshot(Map.of(), Optional.empty(), null))
        .hasMessage("unavailable: is required");
    assertThatThrownBy(() -> new SelectionSnapshot(Map.of(), Optional.empty(), Map.of(key, " ")))
        .hasMessage("unavailable.openrouter/m: must not be blank");
  }

  @Test
  void selectionSnapshot_empty_hasNothing() {
    SelectionSnapshot empty = SelectionSnapshot.empty();

    assertThat(empty.measurements()).isEmpty();
    assertThat(empty.hardware()).isEqualTo(Optional.<HardwareProfile>empty());
    assertThat(empty.unavailable()).isEmpty();
  }

  @Test
  void format_number_tenSignificantDigitsWithoutNoise() {
    assertThat(Format.number(8 * 0.3)).isEqualTo("2.4");
    assertThat(Format.number(10)).isEqualTo("10.0");
    assertThat(Format.number(0)).isEqualTo("0.0");
    assertThat(Format.number(-0.0)).isEqualTo("0.0");
    assertThat(Format.number(2.0e-4)).isEqualTo("0.0002");
    assertThat(Format.number(-1.25)).isEqualTo("-1.25");
    assertThat(Format.number(1234567.125)).isEqualTo("1234567.125");
    assertThat(Format.number(1e12)).isEqualTo("1000000000000.0");
  }

  @Test
  void format_bytes_gibibytesRoundedToHundredthsWithTheCount() {
    assertThat(Format.bytes(4L << 30)).isEqualTo("4.0 GiB (4294967296 bytes)");
    // 1.5 GiB + 10 MiB = 1.509765625 GiB, rounded to 1.51
    assertThat(Format.bytes((3L << 29) + (10L << 20))).isEqualTo("1.51 GiB (1621098496 bytes)");
    assertThat(Format.bytes(1)).isEqualTo("0.0 GiB (1 bytes)");
  }
}
