package dev.tta.models.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One configuration value read as each type: an empty value counts as absent, never as a bad one,
 * and a value of the wrong type is a problem at its path.
 */
class ConfigNodeTest {

  private final List<ConfigProblem> problems = new ArrayList<>();

  private ConfigNode value(String json) {
    JsonNode root = JsonMapper.builder().build().readTree("{\"v\":" + json + "}");
    return new ConfigNode(root, "", Map.of(), problems).get("v");
  }

  @Test
  void anEmptyValue_isAbsentForEveryType_withoutAProblem() {
    assertThat(value("\"\"").bool()).isEmpty();
    assertThat(value("\"  \"").number()).isEmpty();
    assertThat(value("\"\"").integer(0, 10)).isEmpty();
    assertThat(value("\"\"").duration()).isEmpty();
    assertThat(value("\"\"").limit()).isEmpty();
    assertThat(problems).isEmpty();
  }

  @Test
  void anEmptyItem_isLeftOutOfAList() {
    assertThat(value("[\"a\", \"\", \" b \"]").texts()).containsExactly("a", "b");
    assertThat(value("\"one\"").texts()).containsExactly("one");
    assertThat(problems).isEmpty();
  }

  @Test
  void eachType_readsItsValues_andRefusesOthersAtThePath() {
    assertThat(value("\"yes\"").bool()).contains(true);
    assertThat(value("\"off\"").bool()).contains(false);
    assertThat(value("\"2.5\"").number()).contains(2.5);
    assertThat(value("\"90s\"").duration()).contains(Duration.ofSeconds(90));
    assertThat(value("\"500ms\"").limit()).contains(Duration.ofMillis(500));
    assertThat(value("\"x\"").requiredText()).contains("x");
    assertThat(problems).isEmpty();

    assertThat(value("\"maybe\"").bool()).isEmpty();
    assertThat(value("\"Infinity\"").number()).isEmpty();
    assertThat(value("\"0s\"").limit()).isEmpty();
    assertThat(value("\"\"").requiredText()).isEmpty();
    assertThat(value("[1]").text()).isEmpty();
    assertThat(value("{}").text()).isEmpty();
    assertThat(problems)
        .extracting(ConfigProblem::path, ConfigProblem::message)
        .containsExactly(
            tuple("v", "must be true or false, was 'maybe'"),
            tuple("v", "must be a finite number, was 'Infinity'"),
            tuple(
                "v", "must be a positive duration such as 500ms, 30s, 5m or 1h, or none, was '0s'"),
            tuple("v", "must not be empty"),
            tuple("v", "must be a single value, not a list"),
            tuple("v", "must be a single value, not a mapping"));
  }

  @Test
  void anAbsentValue_isRequiredOnlyWhereSaid() {
    ConfigNode absent = new ConfigNode(null, "server.port", Map.of(), problems);
    assertThat(absent.text()).isEqualTo(Optional.empty());
    assertThat(absent.items()).isEmpty();
    assertThat(problems).isEmpty();
    assertThat(absent.requiredText()).isEmpty();
    assertThat(problems)
        .extracting(ConfigProblem::path, ConfigProblem::message)
        .containsExactly(tuple("server.port", "is required"));
  }
}
