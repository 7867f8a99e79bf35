package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SelectCommandTest {

  @Test
  void select_therapeuticResponse_ranksClaudeFirstWithItsHandComputedScore() {
    Run run = Run.of("select", "--demo", "--task", "therapeutic_response");

    assertThat(run.exitCode()).isZero();
    String first =
        run.out().lines().filter(line -> line.startsWith(" 1. ")).findFirst().orElseThrow();
    assertThat(first).contains("openrouter/anthropic/claude-3.5-sonnet");
    // performance 9.5 x 0.3 = 2.85; safety 9.5 x 0.4 = 3.8;
    // cost: effective price 0.000015 -> 10 x (1 - 0.000015 / 0.01) = 9.985, x 0.3 = 2.9955;
    // task: empathy and therapeutic of {empathy, safety, therapeutic} = 2 x 0.5 = 1.0;
    // affinity 'claude' for therapeutic_response = 2.5; total 13.1455
    double score = Double.parseDouble(first.substring(first.lastIndexOf(' ') + 1));
    assertThat(score).isCloseTo(13.1455, within(0.005));
    // mistral (safety 6.5 < 7.0) and tiny-random (local, safety unknown) are dropped
    assertThat(run.out()).contains("2 dropped; --explain shows why.");
  }

  @Test
  void select_withExplain_namesTheRuleThatDroppedEachModel() {
    Run run = Run.of("select", "--demo", "--task", "therapeutic_response", "--explain");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "openrouter/mistralai/mistral-7b-instruct SAFETY: therapeutic safety 6.5 < min 7.0")
        .contains("local/tiny-random SAFETY");
  }

  @Test
  void select_whenNoModelQualifies_exitsWithOneAndSaysSo() {
    Run run =
        Run.of(
            "select",
            "--demo",
            "--task",
            "general_chat",
            "--require",
            "vision",
            "--max-cost",
            "1e-7");

    // the only vision model, gpt-4o-mini, costs 0.0000006 per completion token > 0.0000001
    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_NO_MODEL);
    assertThat(run.err()).contains("No model meets the requirements.");
  }

  @Test
  void select_unknownTask_isAUsageErrorListingTheAcceptedValues() {
    Run run = Run.of("select", "--demo", "--task", "poetry");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("task_type: must be one of narrative_generation");
  }

  @Test
  void select_qualityAboveTen_isAUsageErrorNamingTheFieldAndTheRule() {
    Run run = Run.of("select", "--demo", "--task", "general_chat", "--min-quality", "11");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("min_quality_score: must be between 0.0 and 10.0, was 11.0");
  }

  @Test
  void demo_explainsTwoSelections() {
    Run run = Run.of("demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Requirements: task therapeutic_response")
        .contains("Requirements: task narrative_generation, max cost 0.000001 per token");
  }
}
