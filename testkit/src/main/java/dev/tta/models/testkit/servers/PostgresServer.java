package dev.tta.models.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code /usr/lib/postgresql/<version>/bin}) in its own data
 * folder on a free loopback port, with password authentication for the user {@value #USER}, for
 * tests. Run as root (as CI is), the server runs as the {@code postgres} user, since PostgreSQL
 * refuses to run as root. {@link #newDatabase()} makes an empty database per test.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "mm";
  public static final String PASSWORD = "s3cret-pw";

  private static final Duration START = Duration.ofSeconds(60);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path folder;
  private final Path bin;
  private final int port;
  private final boolean asPostgresUser;
  private Process process;

  private PostgresServer(Path folder, Path bin, int port, boolean asPostgresUser) {
    this.folder = folder;
    this.bin = bin;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Starts one; skips the test (fails it in CI) when PostgreSQL is not installed. */
  public static PostgresServer start() {
    Path bin = findBin();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path folder = Files.createTempDirectory(Path.of("/tmp"), "mm-postgres");
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
      PostgresServer server = new PostgresServer(folder, bin, LocalServers.freePort(), root);
      server.init();
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path findBin() {
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> found = Files.list(versions)) {
        // the newest major version installed (Debian 12 has 15, Debian 13 has 17)
        Path bin =
            found
                .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                .filter(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                .max(
                    Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                .map(v -> v.resolve("bin"))
                .orElse(null);
        if (bin != null) {
          return bin;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    LocalServers.missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb)");
    throw new IllegalStateException("unreachable: missing() skips or fails");
  }

  private void init() throws IOException {
    Path data = folder.resolve("data");
    Path passwordFile = folder.resolve("password");
    Files.writeString(passwordFile, PASSWORD);
    if (asPostgresUser) {
      UserPrincipal postgres =
          folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(folder, postgres);
      Files.setOwner(passwordFile, postgres);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "--pwfile=" + passwordFile,
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync"),
        folder.resolve("initdb.log"));
  }

  private void run(List<String> command, Path log) throws IOException {
    Process init = command(command).redirectOutput(log.toFile()).start();
    try {
      if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ProcessBuilder command(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      // setpriv execs the command itself, so that stopping the process stops the server
      full.addAll(
          List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", PASSWORD);
    return builder;
  }

  private void launch() {
    try {
      process =
          command(
                  List.of(
                      bin.resolve("postgres").toString(),
                      "-D",
                      folder.resolve("data").toString(),
                      "-p",
                      Integer.toString(port),
                      "-k",
                      folder.toString(),
                      "-c",
                      "listen_addresses=127.0.0.1",
                      "-c",
                      "fsync=off"))
              .redirectOutput(folder.resolve("postgres.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalServers.awaitPort(port, process, START, "postgres");
  }

  public int port() {
    return port;
  }

  /**
   * Makes an empty database and returns its URL with the password, {@code
   * postgresql://mm:<password>@127.0.0.1:<port>/<name>}.
   */
  public String newDatabase() {
    String name = "mm_test_" + DATABASES.incrementAndGet();
    try {
      run(
          List.of(
              bin.resolve("createdb").toString(),
              "-h",
              "127.0.0.1",
              "-p",
              Integer.toString(port),
              "-U",
              USER,
              name),
          folder.resolve("createdb-" + name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + name;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RedisServer.deleteTree(folder.toFile());
  }
}
