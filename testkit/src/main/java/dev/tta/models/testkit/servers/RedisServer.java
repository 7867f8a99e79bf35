package dev.tta.models.testkit.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port with its own folder and no persistence, for
 * tests: started, killed and started again on the same port (as an outage), stopped by {@link
 * #close}.
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(20);

  private final Path folder;
  private final int port;
  private Process process;

  private RedisServer(Path folder, int port) {
    this.folder = folder;
    this.port = port;
  }

  /** Starts one; skips the test (fails it in CI) when {@code redis-server} is not installed. */
  public static RedisServer start() {
    if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      LocalServers.missing("redis-server");
    }
    try {
      RedisServer server =
          new RedisServer(Files.createTempDirectory("mm-redis"), LocalServers.freePort());
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "/usr/bin/redis-server",
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      folder.toString()))
              .redirectErrorStream(true)
              .redirectOutput(folder.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalServers.awaitPort(port, process, START, "redis-server");
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>/0} */
  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Kills the server at once (SIGKILL): every connection drops, its data is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, empty. */
  public void restart() {
    launch();
  }

  @Override
  public void close() {
    kill();
    deleteTree(folder.toFile());
  }

  static void deleteTree(File file) {
    File[] children = file.listFiles();
    if (children != null) {
      for (File child : children) {
        deleteTree(child);
      }
    }
    file.delete();
  }
}
