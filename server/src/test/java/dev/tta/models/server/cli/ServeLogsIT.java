package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code mm serve} prints as the process users run, started as {@code ./mm} starts it (native
 * access granted, no log level given): the banner and one line per request, not llama.cpp's loader
 * output nor the JDK's warnings; with {@code --log-format json}, JSON lines alone on standard
 * output.
 */
class ServeLogsIT {

  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Duration START_LIMIT = Duration.ofSeconds(60);
  private static final String CHAT =
      "{\"model\":\"auto\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @TempDir Path home;

  private record Printed(String out, String err) {}

  private Printed serve(String... extra) throws Exception {
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    Path target = Path.of("target").toAbsolutePath();
    command.add(target.resolve("mm-server.jar") + ":" + target.resolve("lib") + "/*");
    command.add(MmCommand.class.getName());
    command.addAll(List.of("serve", "--port", "0"));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("MM_") || name.endsWith("_KEY"));
    builder.environment().put("MM_DATA_DIR", home.resolve("data").toString());
    Process process = builder.start();
    try {
      String base = awaitAddress(process, out, err);
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return new Printed(Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
    }
  }

  private static String awaitAddress(Process process, Path out, Path err) throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher m = LISTENING.matcher(Files.readString(out) + Files.readString(err));
      if (m.find()) {
        return m.group(1);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError(
        "mm serve did not start; it printed:\n" + Files.readString(out) + Files.readString(err));
  }

  @Test
  void text_logsOneLinePerRequest_andNothingOfLlamaCppOrTheJdk() throws Exception {
    Printed printed = serve();

    assertThat(printed.err())
        .contains(
            " INFO RequestLog - method=POST path=/v1/chat/completions model=auto"
                + " served=local/tta-tiny-random attempts=1 status=200 latency_ms=")
        .doesNotContain("llama_model_loader")
        .doesNotContain("load_tensors")
        .doesNotContain("WARNING: A restricted method")
        .doesNotContain("libjllama");
    assertThat(printed.out()).contains("listening on").doesNotContain("libjllama");
    // the development-mode warning, the new history's schema, the (empty) warm start from it, and
    // the request's line
    assertThat(printed.err())
        .contains(" INFO Migrator - history schema migrated to version 3: 1 (calls and resets), 2")
        .contains(" INFO GatewayRuntime - warm start from ")
        .contains(": 0 calls, 0 resets; excluded now: ");
    assertThat(printed.err().lines().count()).isEqualTo(4);
  }

  @Test
  void json_putsOneObjectPerRequestOnStandardOutput_andNothingElse() throws Exception {
    Printed printed = serve("--log-format", "json");

    List<String> lines = printed.out().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode line = JsonMapper.builder().build().readTree(lines.getFirst());
    assertThat(line.get("level").asString()).isEqualTo("INFO");
    assertThat(line.get("method").asString()).isEqualTo("POST");
    assertThat(line.get("path").asString()).isEqualTo("/v1/chat/completions");
    assertThat(line.get("model").asString()).isEqualTo("auto");
    assertThat(line.get("served").asString()).isEqualTo("local/tta-tiny-random");
    assertThat(line.get("attempts").asInt()).isEqualTo(1);
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("latency_ms").asLong()).isNotNegative();
    assertThat(printed.err()).contains("listening on").doesNotContain("llama_model_loader");
  }
}
