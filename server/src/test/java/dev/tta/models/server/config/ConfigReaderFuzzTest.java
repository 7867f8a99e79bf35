package dev.tta.models.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Fuzzes the gateway's YAML configuration as {@code mm serve} reads it, variables included.
 *
 * <p>Property: any text either gives a {@link GatewayConfig} or a {@link ConfigException} with at
 * least one {@link ConfigProblem}, never another exception. A problem with an empty path is about
 * the file as a whole (not YAML, or not a mapping) and then the only one; every other problem's
 * path starts with a key the file has at its top level, so it points into the file.
 */
class ConfigReaderFuzzTest {

  private static final Map<String, String> ENV =
      Map.of("HOST", "gpu-box", "EMPTY", "", "PORT", "8080", "KEY", "sk-fuzz-0001");
  private static final Path FOLDER = Path.of("/etc/mm");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  @FuzzTest
  void configurationFile(byte[] bytes) {
    String yaml = new String(bytes, StandardCharsets.UTF_8);
    try {
      GatewayConfig config = new ConfigReader(ENV).parse(yaml, "fuzzed.yaml", FOLDER);
      assertThat(config.server().port()).isBetween(0, 65_535);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      Set<String> topLevel = topLevelKeys(yaml);
      for (ConfigProblem problem : e.problems()) {
        assertThat(problem.message()).isNotBlank();
        if (problem.path().isEmpty()) {
          assertThat(e.problems()).as("a problem of the whole file comes alone").hasSize(1);
        } else {
          assertThat(topLevel)
              .as("problem '%s' points into the file", problem)
              .anyMatch(key -> problem.path().startsWith(key));
        }
      }
    }
  }

  private static Set<String> topLevelKeys(String yaml) {
    try {
      JsonNode root = YAML.readTree(yaml);
      return root != null && root.isObject() ? Set.copyOf(root.propertyNames()) : Set.of();
    } catch (JacksonException e) {
      return Set.of();
    }
  }
}
