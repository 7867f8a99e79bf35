package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The in-process commands against a configuration whose upstream replays the fixtures. */
class CliCommandsTest {

  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;

  @TempDir Path folder;

  private ReplayPeer peer;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    peer = ReplayPeer.start();
    RecordedOpenAiCompatible.serveModelsAndChat(peer);
    config =
        Files.writeString(
            folder.resolve("mm.yaml"),
            """
            providers:
              - name: upstream
                type: custom_api
                base_url: %1$s/v1
                api_key: sk-cli-secret-0001
                models:
                  - {id: gpt-4o-mini, therapeutic_safety_score: 9, performance_score: 8,
                     input_cost_per_token: 0.00000015, output_cost_per_token: 0.0000006,
                     capabilities: [chat, empathy]}
              - {name: ollama, type: ollama, base_url: "%1$s/"}
            """
                .formatted(peer.root()));
  }

  @AfterEach
  void stop() {
    peer.close();
  }

  @Test
  void models_json_listsTheConfiguredMetadataMergedWithTheListing() {
    Run run = Run.of("models", "--config", config.toString(), "--provider", "upstream", "--json");

    assertThat(run.exitCode()).isZero();
    JsonNode models = JsonMapper.builder().build().readTree(run.out());
    assertThat(models).hasSize(2);
    JsonNode mini =
        models.get(0).get("key").asString().equals("upstream/gpt-4o-mini")
            ? models.get(0)
            : models.get(1);
    assertThat(mini.get("input_cost_per_token").asDouble()).isEqualTo(0.00000015);
    assertThat(mini.get("output_cost_per_token").asDouble()).isEqualTo(0.0000006);
    assertThat(mini.get("therapeutic_safety_score").asDouble()).isEqualTo(9.0);
  }

  @Test
  void models_table_hasAHeaderAndOneLinePerModel() {
    Run run = Run.of("models", "--config", config.toString(), "--provider", "upstream");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow())
        .startsWith("MODEL")
        .contains("IN $/TOKEN", "OUT $/TOKEN", "SAFETY", "CAPABILITIES");
    assertThat(run.out())
        .containsPattern(
            // the configuration gives no context window and the upstream lists none: unknown
            "upstream/gpt-4o-mini +custom_api +- +0\\.00000015 +0\\.0000006 +9\\.0 +8\\.0 +chat,empathy")
        .contains("2 models");
  }

  @Test
  void chat_printsTheAnswer_andNamesTheServingModelOnStderr() {
    Run run =
        Run.of("chat", "--config", config.toString(), "--model", "upstream/gpt-4o-mini", "Hi");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().trim()).isEqualTo("Hello! How can I assist you today?");
    assertThat(run.err())
        .startsWith("served by upstream/gpt-4o-mini; tried [upstream/gpt-4o-mini ok");
  }

  @Test
  void chat_stream_printsTheTokensAsTheyArrive() {
    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", "/v1/chat/completions"));

    Run run =
        Run.of("chat", "--config", config.toString(), "--stream", "--system", "Be kind.", "Hi");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("Hello! How can I assist you today?" + System.lineSeparator());
    assertThat(run.err()).startsWith("served by upstream/gpt-4o-mini;");
    assertThat(peer.requests())
        .last()
        .satisfies(
            r ->
                assertThat(r.bodyText())
                    .contains("{\"role\":\"system\",\"content\":\"Be kind.\"}"));
  }

  @Test
  void chat_withAModelNobodyOffers_exitsWithOne_namingIt() {
    // ollama cannot be reached, so it lists nothing and its models are not offered
    Run none = Run.of("chat", "--config", config.toString(), "--model", "ollama/llama3.2", "Hi");

    assertThat(none.exitCode()).isEqualTo(MmCommand.EXIT_NO_MODEL);
    assertThat(none.err()).contains("ollama/llama3.2");
  }

  @Test
  void serve_startsOnTheConfiguredProviders_andPrintsTheAddressAndWhatItServes() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = MmCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    CommandLine.ParseResult parsed =
        cli.parseArgs("serve", "--config", config.toString(), "--port", "0", "--host", "127.0.0.1");
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();

    try (var server = serve.start(Map.of())) {
      assertThat(out.toString())
          .contains(
              "mm gateway listening on http://127.0.0.1:"
                  + server.port()
                  + "  (configuration: "
                  + config
                  + ")")
          .contains("  provider upstream (custom_api, " + peer.root() + "/v1): 2 models")
          .contains("  ! cannot list ollama: ")
          .contains("NOTE: no API key is configured (development mode)")
          .contains("/v1/chat/completions")
          .contains("Dashboard: http://127.0.0.1:" + server.port() + "/dashboard");
    }
  }

  @Test
  void serve_withJsonLogs_printsTheBannerOnStandardError_leavingStandardOutputToTheJsonLines()
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MmCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    CommandLine.ParseResult parsed =
        cli.parseArgs(
            "serve", "--config", config.toString(), "--port", "0", "--log-format", "json");
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();

    try (var server = serve.start(Map.of())) {
      assertThat(err.toString())
          .contains("mm gateway listening on http://127.0.0.1:" + server.port());
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void verbose_isFound_beforeOrAfterTheCommandsName_andNowhereElse() {
    assertThat(MmCommand.verbose(MmCommand.commandLine().parseArgs("--verbose", "serve"))).isTrue();
    assertThat(MmCommand.verbose(MmCommand.commandLine().parseArgs("serve", "--verbose"))).isTrue();
    assertThat(MmCommand.verbose(MmCommand.commandLine().parseArgs("status", "--verbose")))
        .isTrue();
    assertThat(MmCommand.verbose(MmCommand.commandLine().parseArgs("serve", "--port", "0")))
        .isFalse();
  }

  @Test
  void version_namesMmAndTheJavaRuntime() {
    Run run = Run.of("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("mm ").contains("Java " + Runtime.version());
  }

  @Test
  void chat_whenEveryCandidateFails_exitsWithThree() {
    peer.serve(
        FIXTURES.exchange("error_401_invalid_api_key").servedAt("POST", "/v1/chat/completions"));

    Run run =
        Run.of("chat", "--config", config.toString(), "--model", "upstream/gpt-4o-mini", "Hi");

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_FAILED);
    assertThat(run.err())
        .startsWith("failed: ")
        .contains("authentication")
        .doesNotContain("sk-cli-secret-0001");
  }

  @Test
  void providers_listsNamesTypesAndLocations_withoutKeys() {
    Run run = Run.of("providers", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Configuration: " + config)
        .containsPattern("upstream +custom_api +" + peer.root() + "/v1")
        .containsPattern("ollama +ollama +" + peer.root() + "/")
        .doesNotContain("sk-cli-secret-0001");
  }

  @Test
  void status_reportsEachProvidersHealth_andExitsZeroWhenOneIsHealthy() {
    Run run = Run.of("status", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("upstream +custom_api +healthy +2")
        .containsPattern("ollama +ollama +unhealthy")
        .contains("1 of 2 providers healthy");
  }

  @Test
  void aConfigurationWithProblems_listsThemAll_andExitsWithTwo() throws Exception {
    Path broken =
        Files.writeString(
            folder.resolve("broken.yaml"),
            "providers:\n  - {name: a, type: custom_api}\n  - {name: b, type: warp}\n");

    Run run = Run.of("models", "--config", broken.toString());

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(run.err())
        .contains("broken.yaml has 2 problems:")
        .contains("providers[0].base_url: is required for a custom_api provider")
        .contains("providers[1].type: must be one of");
  }

  @Test
  void pull_showsOllamasProgress_andSaysWhenItIsDone() {
    String ndjson =
        """
        {"status":"pulling manifest"}
        {"status":"pulling 74701a8c35f6","digest":"sha256:74701a8c35f6","total":4096,"completed":1024}
        {"status":"pulling 74701a8c35f6","digest":"sha256:74701a8c35f6","total":4096,"completed":4096}
        {"status":"success"}
        """;
    peer.serve(
        Exchange.of(
            "pull",
            "POST",
            "/api/pull",
            RecordedResponse.of(
                200, "application/x-ndjson", ndjson.getBytes(StandardCharsets.UTF_8))));

    Run run = Run.of("pull", "--config", config.toString(), "ollama/llama3.2");

    assertThat(run.exitCode()).isZero();
    // 1024 of 4096 is a quarter: 8 of 30 cells (7.5 rounded half up)
    assertThat(run.out())
        .contains("pulling 74701a8c35f6     [########......................]  25.0% of 4.0 KiB")
        .contains("[##############################] 100.0% of 4.0 KiB")
        .contains("pulled ollama/llama3.2");
    assertThat(peer.requests())
        .last()
        .satisfies(r -> assertThat(r.bodyText()).contains("\"model\":\"llama3.2\""));
  }

  @Test
  void pull_onAProviderThatIsNotOllama_isAUsageError() {
    Run run = Run.of("pull", "--config", config.toString(), "upstream/gpt-4o-mini");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'upstream' is not a configured Ollama provider");
  }

  @Test
  void hashKey_printsTheSha256OfTheKeyOnStandardInput() {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("client-key-0001\n".getBytes(StandardCharsets.UTF_8)));
      Run run = Run.of("hash-key");
      assertThat(run.exitCode()).isZero();
      // printf '%s' client-key-0001 | sha256sum
      assertThat(run.out().trim())
          .isEqualTo("sha256:64eae4db4b1eb8b30da6f7d02065dbd9f7d7f54b85941144f233dd4b3346d12b");
    } finally {
      System.setIn(stdin);
    }
  }
}
