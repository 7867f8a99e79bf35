package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running {@code mm} process from the packaged jar (the JVM itself, no shell between, so that its
 * pid is the gateway's), with everything it printed, stdout and stderr merged.
 */
final class MmProcess implements AutoCloseable {

  /** The exit status of a process ended by SIGKILL: 128 + 9. */
  static final int KILLED = 137;

  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  final Process process;
  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final StringBuffer output = new StringBuffer();

  MmProcess(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
    command.add("-cp");
    Path target = Path.of("target").toAbsolutePath();
    command.add(target.resolve("mm-server.jar") + ":" + target.resolve("lib") + "/*");
    command.add(MmCommand.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    for (String name :
        List.of(
            "MM_CONFIG",
            "OPENROUTER_API_KEY",
            "ANTHROPIC_API_KEY",
            "OPENAI_API_KEY",
            "MM_API_KEYS",
            "MM_ADMIN_KEY",
            "OLLAMA_HOST",
            "LMSTUDIO_HOST")) {
      builder.environment().remove(name);
    }
    builder.environment().putAll(env);
    process = builder.start();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  output.append(line).append('\n');
                  lines.add(line);
                }
              } catch (IOException e) {
                output.append("[output closed: ").append(e.getMessage()).append("]\n");
              }
            });
  }

  String awaitAddress() throws InterruptedException {
    return awaitLine(LISTENING, START_LIMIT).group(1);
  }

  /** Waits for a line it prints that {@code pattern} finds something in. */
  Matcher awaitLine(Pattern pattern, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError(
        "mm printed no line matching " + pattern + " within " + max + "; it printed:\n" + output);
  }

  /** Stops it as an operator would (SIGTERM) and returns its exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    return process.exitValue();
  }

  /**
   * Kills it as {@code kill -9} does: {@link Process#destroyForcibly} sends SIGKILL on Linux, so
   * nothing of the process runs after it (no shutdown hook, no flush); returns its exit code.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed within 30 s").isTrue();
    return process.exitValue();
  }

  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
