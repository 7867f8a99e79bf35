package dev.tta.models.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded history: one SQLite file (xerial's driver, which carries the native library) in
 * write-ahead-log mode, with {@code synchronous=NORMAL}: a committed write survives the process
 * being killed (the log is in the operating system's hands); only a power cut may lose the last
 * commits. Readers never wait for the writer; two writers wait for each other up to the busy
 * timeout.
 */
public final class SqliteDatabase {

  /** Connections kept: the writer, the clean-up and readers (spend, replay) side by side. */
  static final int POOL_SIZE = 4;

  static final int BUSY_TIMEOUT_MS = 10_000;

  private SqliteDatabase() {}

  /** Opens (creating the folder and the file when missing) a pool over the file. */
  public static HikariDataSource open(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of the history " + file, e);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("mm-history-sqlite");
    config.setJdbcUrl(
        "jdbc:sqlite:"
            + file.toAbsolutePath()
            + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout="
            + BUSY_TIMEOUT_MS);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }
}
