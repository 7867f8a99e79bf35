package dev.tta.models.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to a schema version with a small migration table, {@code mm_schema}: one row
 * per version applied. All versions still missing are applied in one transaction, after the
 * dialect's lock, so that replicas starting together on one database migrate it once and a failed
 * migration leaves the previous version whole. (Flyway would do the same with a dependency several
 * times the size of this module's logic; two dialects and a handful of versions do not need it.)
 */
final class Migrator {

  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private Migrator() {}

  /**
   * @return the version the database is at afterwards
   * @throws SQLException when the database is newer than {@code target} knows, or a statement fails
   */
  static int migrate(DataSource source, Dialect dialect, List<Migration> migrations, int target)
      throws SQLException {
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String lock : dialect.migrationLock()) {
          statement.execute(lock);
        }
        statement.execute(
            "CREATE TABLE IF NOT EXISTS mm_schema (version INTEGER PRIMARY KEY, description TEXT"
                + " NOT NULL, applied_at_ms BIGINT NOT NULL)");
        int current = currentVersion(statement);
        if (current > target) {
          throw new SQLException(
              "the history's schema is at version "
                  + current
                  + ", newer than this gateway knows ("
                  + target
                  + "); run a newer gateway");
        }
        List<String> applied = new ArrayList<>();
        for (Migration migration : migrations) {
          if (migration.version() <= current || migration.version() > target) {
            continue;
          }
          for (String sql : migration.statements().apply(dialect)) {
            statement.execute(sql);
          }
          statement.execute(
              "INSERT INTO mm_schema (version, description, applied_at_ms) VALUES ("
                  + migration.version()
                  + ", '"
                  + migration.description().replace("'", "''")
                  + "', "
                  + System.currentTimeMillis()
                  + ")");
          applied.add(migration.version() + " (" + migration.description() + ")");
          current = migration.version();
        }
        connection.commit();
        if (!applied.isEmpty()) {
          // one line at start, however many versions a new or old database needed
          LOG.info(
              "history schema migrated to version {}: {}", current, String.join(", ", applied));
        }
        return current;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static int currentVersion(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM mm_schema")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
