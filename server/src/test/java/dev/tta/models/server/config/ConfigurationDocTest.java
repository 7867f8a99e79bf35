package dev.tta.models.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.history.Budget;
import dev.tta.models.history.BudgetPeriod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The complete example of docs/features/configuration.md is a configuration that reads. */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("..", "docs", "features", "configuration.md");

  @Test
  void theReadmesExample_readsWithoutProblems() throws Exception {
    Path readme = Path.of("..", "README.md");
    String yaml = ConfigText.yamlAfter(readme, "## A configuration");

    GatewayConfig config =
        new ConfigReader(
                Map.of(
                    "OPENROUTER_API_KEY", "sk-or-doc-0001",
                    "MM_CLIENT_KEY", "doc-client-key-0001",
                    "MM_ADMIN_KEY", "doc-admin-key-0001"))
            .parse(yaml, readme.toString(), readme.getParent());

    assertThat(config.providers())
        .extracting(p -> p.id().value())
        .containsExactly("ollama", "openrouter", "llamacpp");
    assertThat(config.routes()).containsOnlyKeys("therapeutic", "story");
    assertThat(config.fallbacks()).hasSize(1);
  }

  @Test
  void theDocumentedExample_readsWithoutProblems() throws Exception {
    String yaml = ConfigText.yamlAfter(DOC, "## A complete example");

    GatewayConfig config =
        new ConfigReader(
                Map.of(
                    "OPENROUTER_API_KEY", "sk-or-doc-0001",
                    "MM_CLIENT_KEY", "doc-client-key-0001",
                    "TEAM_A_KEY", "doc-team-a-key-0001",
                    "MM_ADMIN_KEY_VALUE", "doc-admin-key-0001",
                    "MM_DATA_DIR", "/var/lib/mm"))
            .parse(yaml, DOC.toString(), DOC.getParent());

    assertThat(config.providers())
        .extracting(p -> p.id().value())
        .containsExactly("llamacpp", "local", "openrouter");
    assertThat(config.routes()).containsOnlyKeys("therapeutic", "story");
    assertThat(config.fallback().maxAttempts()).isEqualTo(4);
    assertThat(config.auth().clientKeyHashes()).hasSize(3);
    assertThat(config.auth().budgets())
        .containsExactly(Map.entry("team-a", new Budget(25, BudgetPeriod.MONTH)));
    assertThat(config.auth().adminKeyHash()).isPresent();
    // the storage section writes out the defaults
    assertThat(config.storage()).isEqualTo(StorageSettings.defaults(Path.of("/var/lib/mm")));
  }
}
