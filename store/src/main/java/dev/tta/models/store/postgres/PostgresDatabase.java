package dev.tta.models.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Optional;

/**
 * The shared history: a PostgreSQL database through the official JDBC driver and a small HikariCP
 * pool. The password is given to the driver as a property, never in the URL, so that no log line or
 * error message of the pool or the driver shows it.
 */
public final class PostgresDatabase {

  /** Connections per replica: the writer, the clean-up and a few readers. */
  static final int POOL_SIZE = 4;

  /** How long a caller waits for a connection before the write is retried later. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private PostgresDatabase() {}

  /**
   * Opens a pool; it connects lazily, so a database that is down at start delays history writes
   * (they queue and are retried) rather than the gateway.
   */
  public static HikariDataSource open(
      String jdbcUrl, Optional<String> user, Optional<String> password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("mm-history-postgresql");
    config.setJdbcUrl(jdbcUrl);
    user.ifPresent(config::setUsername);
    password.ifPresent(config::setPassword);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
