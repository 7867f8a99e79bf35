package dev.tta.models.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

  private final List<String> problems = new ArrayList<>();

  private String apply(String text, Map<String, String> env) {
    return Interpolation.apply(text, env, problems::add);
  }

  @Test
  void references_areReplaced_defaultsStandInForUnsetOrEmpty_andDollarDollarIsLiteral() {
    Map<String, String> env = Map.of("HOST", "gpu-box", "EMPTY", "");

    assertThat(apply("http://${HOST}:${PORT:-8080}/v1", env)).isEqualTo("http://gpu-box:8080/v1");
    assertThat(apply("${EMPTY:-fallback}", env)).isEqualTo("fallback");
    assertThat(apply("${HOST:-unused}", env)).isEqualTo("gpu-box");
    assertThat(apply("${NONE:-}", env)).isEmpty();
    assertThat(apply("cost $5 and $${HOST} stays", env)).isEqualTo("cost $5 and ${HOST} stays");
    assertThat(apply("no references", env)).isEqualTo("no references");
    assertThat(problems).isEmpty();
  }

  @Test
  void unsetVariables_unclosedReferences_andBadNames_areProblems() {
    assertThat(apply("a${MISSING}b", Map.of())).isEqualTo("ab");
    assertThat(apply("x${UNCLOSED", Map.of())).isEqualTo("x");
    assertThat(apply("${1BAD}", Map.of())).isEmpty();
    assertThat(apply("${EMPTY}", Map.of("EMPTY", ""))).isEmpty();

    assertThat(problems)
        .containsExactly(
            "environment variable MISSING is not set (write ${MISSING:-} to make it optional)",
            "'${' without a closing '}'",
            "'${1BAD}' is not a variable reference (${NAME} or ${NAME:-default})",
            "environment variable EMPTY is not set (write ${EMPTY:-} to make it optional)");
  }
}
