package dev.tta.models.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.tta.models.history.CallHistory;
import dev.tta.models.state.RoutingState;
import dev.tta.models.store.memory.InMemoryRoutingState;
import dev.tta.models.store.postgres.PostgresDatabase;
import dev.tta.models.store.redis.RedisRoutingState;
import dev.tta.models.store.sqlite.SqliteDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.InstantSource;

/** Opens the history and the routing state that {@code storage} names. */
public final class Storage {

  private Storage() {}

  /**
   * Opens the history, migrating its schema to the latest version first.
   *
   * @throws IllegalStateException when the database cannot be opened or migrated (the message names
   *     where, without a password)
   */
  public static CallHistory openHistory(
      HistoryLocation location,
      HistorySettings settings,
      InstantSource time,
      MeterRegistry registry) {
    HikariDataSource source;
    try {
      source =
          switch (location) {
            case HistoryLocation.Sqlite sqlite -> SqliteDatabase.open(sqlite.file());
            case HistoryLocation.Postgres pg ->
                PostgresDatabase.open(pg.jdbcUrl(), pg.user(), pg.password());
          };
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open the history in " + location + ": " + e.getMessage(), e);
    }
    Dialect dialect =
        location instanceof HistoryLocation.Sqlite ? Dialect.SQLITE : Dialect.POSTGRES;
    try {
      Migrator.migrate(source, dialect, Migration.ALL, Migration.latest());
    } catch (SQLException | RuntimeException e) {
      source.close();
      throw new IllegalStateException(
          "cannot open the history in " + location + ": " + e.getMessage(), e);
    }
    return new HistoryWriter(
        new JdbcHistoryStore(source), location.toString(), source, settings, time, registry);
  }

  /**
   * Opens the routing state; a Redis that cannot be reached yet is connected to in the background.
   */
  public static RoutingState openState(StateLocation location) {
    return switch (location) {
      case StateLocation.Memory memory -> new InMemoryRoutingState();
      case StateLocation.Redis redis ->
          RedisRoutingState.connect(redis.uri(), redis.database(), redis.toString());
    };
  }
}
