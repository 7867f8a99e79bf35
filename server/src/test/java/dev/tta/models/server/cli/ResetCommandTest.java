package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.servers.RefusingPort;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mm reset} against a running gateway's management API. */
class ResetCommandTest {

  private static final String ADMIN_KEY = "admin-key-for-reset-0001";

  @TempDir Path dataDir;

  private GatewayServer server;
  private RefusingPort closed;
  private String url;

  @BeforeEach
  void start() {
    closed = RefusingPort.open();
    GatewayConfig config =
        new ConfigReader(Map.of())
            .parse(
                """
                server: {host: 127.0.0.1, port: 0}
                providers:
                  - name: upstream
                    type: custom_api
                    base_url: http://127.0.0.1:%d/v1
                    discover_models: false
                    models: [{id: gpt-4o-mini}]
                auth: {admin_key: %s}
                """
                    .formatted(closed.port(), ADMIN_KEY),
                "test.yaml",
                dataDir);
    server = GatewayServer.start(GatewayRuntime.start(config));
    url = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    closed.close();
  }

  @Test
  void aModel_itsCircuitClosedAgain() {
    ModelKey model = ModelKey.of("upstream", "gpt-4o-mini");
    server.runtime().circuitBreakers().holdOpen(model);
    assertThat(server.runtime().circuitBreakers().state(model)).isEqualTo(CircuitState.OPEN);

    Run run = Run.of("reset", "upstream/gpt-4o-mini", "--url", url, "--admin-key", ADMIN_KEY);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("upstream/gpt-4o-mini: reset\n");
    assertThat(server.runtime().circuitBreakers().state(model)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aProvider_backInService() {
    server
        .runtime()
        .failures()
        .markProviderOut(ProviderId.of("upstream"), "authentication failed", Instant.now());

    Run run = Run.of("reset", "--provider", "upstream", "--url", url, "--admin-key", ADMIN_KEY);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("provider upstream: reset\n");
    assertThat(server.runtime().failures().providersOut(Instant.now())).isEmpty();
  }

  @Test
  void anUnknownProvider_exitsOne_withTheGatewaysReason() {
    Run run = Run.of("reset", "--provider", "ghost", "--url", url, "--admin-key", ADMIN_KEY);

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_NO_MODEL);
    assertThat(run.err())
        .startsWith("mm: the gateway refused to reset provider ghost (HTTP 404): ")
        .contains("ghost");
  }

  @Test
  void aWrongAdminKey_exitsThree() {
    Run run = Run.of("reset", "upstream/gpt-4o-mini", "--url", url, "--admin-key", "wrong");

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_FAILED);
    assertThat(run.err()).contains("(HTTP 401)").doesNotContain("wrong");
  }

  @Test
  void noGateway_exitsThree_namingWhereItLooked() {
    String nowhere = closed.uri().toString();

    Run run = Run.of("reset", "upstream/gpt-4o-mini", "--url", nowhere);

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_FAILED);
    assertThat(run.err()).startsWith("mm: cannot reach the gateway at " + nowhere + " (");
  }

  @Test
  void modelAndProviderTogether_isAUsageError() {
    Run run = Run.of("reset", "upstream/gpt-4o-mini", "--provider", "upstream", "--url", url);

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void aUrlThatIsNotOne_isABadOption_namingIt() {
    Run run = Run.of("reset", "upstream/gpt-4o-mini", "--url", "http://127.0.0.1:8080/a b");

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(run.err())
        .isEqualTo(
            "mm: the gateway's address (--url or $MM_URL) is not a URL: http://127.0.0.1:8080/a"
                + " b\n");
  }
}
