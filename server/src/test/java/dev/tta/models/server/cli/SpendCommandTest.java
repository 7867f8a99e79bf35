package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm spend} against a running gateway. A call costs 0.05 USD: 1 prompt token ("Hi") at 0.01
 * and 2 completion tokens ("hello there") at 0.02.
 */
class SpendCommandTest {

  private static final String TEAM_A = "team-a-key-0001";
  private static final String TEAM_B = "team-b-key-0001";
  private static final String ADMIN = "admin-key-00001";

  @TempDir Path folder;

  private FaultyUpstream upstream;
  private GatewayServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("hello there"));
    String yaml =
        """
        server: {port: 0}
        providers:
          - name: up
            type: custom_api
            base_url: "%s"
            discover_models: false
            models: [{id: m, input_cost_per_token: 0.01, output_cost_per_token: 0.02}]
        storage: {history: "%s"}
        auth:
          client_keys:
            - {key: "%s", name: team-a, budget: {usd: 0.12, per: total}}
            - {key: "%s", name: team-b}
          admin_key: "%s"
        """
            .formatted(
                upstream.baseUrl().toString().replaceAll("/+$", ""),
                folder.resolve("mm.db"),
                TEAM_A,
                TEAM_B,
                ADMIN);
    server =
        GatewayServer.start(
            GatewayRuntime.startPersistent(
                new ConfigReader(Map.of()).parse(yaml, "spend.yaml", folder)));
    url = "http://127.0.0.1:" + server.port();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (String key : new String[] {TEAM_A, TEAM_A, TEAM_B}) {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"up/m\",\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"Hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
      }
    }
  }

  @AfterEach
  void stop() {
    server.close();
    upstream.close();
  }

  @Test
  void theAdminKey_printsEveryKeysSpendAndBudget_asATable() {
    Run run = Run.of("spend", "--url", url, "--api-key", ADMIN, "--window", "total");

    assertThat(run.exitCode()).isZero();
    // team-a: 0.05 x 2 = 0.10 of 0.12, 0.02 left; team-b: 0.05, no budget
    assertThat(run.out())
        .isEqualTo(
            """
            spend in total
            KEY     SPENT USD  BUDGET           REMAINING USD  RENEWS AT
            team-a  0.1000     0.1200 in total  0.0200         -
            team-b  0.0500     -                -              -
            """);
  }

  @Test
  void aClientKey_printsItsOwn_andJsonIsTheGatewaysAnswer() {
    Run run = Run.of("spend", "--url", url, "--api-key", TEAM_B, "--window", "total", "--json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("{\"window\":\"total\",\"from\":\"1970-01-01T00:00:00Z\",\"to\":null,")
        .contains("\"key\":\"team-b\"")
        .doesNotContain("team-a");
  }

  @Test
  void anotherKeysSpend_isRefused_withTheGatewaysReason() {
    Run run = Run.of("spend", "--url", url, "--api-key", TEAM_A, "--key", "team-b");

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_FAILED);
    assertThat(run.err())
        .isEqualTo(
            "mm: the gateway refused (HTTP 403): key: a client key reads only its own spend;"
                + " the admin key reads every key's\n");
  }

  @Test
  void aBadWindow_isABadOption() {
    Run run = Run.of("spend", "--url", url, "--api-key", ADMIN, "--window", "year");

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(run.err())
        .isEqualTo(
            "mm: the gateway refused (HTTP 400): window: must be one of day, week, month,"
                + " total, was 'year'\n");
  }

  @Test
  void aGatewayThatIsNotThere_isSaidSo() {
    try (RefusingPort nothingThere = RefusingPort.open()) {
      String nowhere = nothingThere.uri().toString();

      Run run = Run.of("spend", "--url", nowhere, "--api-key", ADMIN);

      assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_FAILED);
      assertThat(run.err()).startsWith("mm: cannot reach the gateway at " + nowhere + " (");
    }
  }

  @Test
  void aUrlWithoutAScheme_isABadOption_namingIt() {
    Run run = Run.of("spend", "--url", "localhost:8080", "--api-key", ADMIN);

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(run.err())
        .isEqualTo(
            "mm: the gateway's address (--url or $MM_URL) must be an http:// or https:// URL"
                + " with a host, was: localhost:8080\n");
  }
}
