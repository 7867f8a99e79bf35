package dev.tta.models.store;

import dev.tta.models.store.postgres.PostgresDatabase;
import dev.tta.models.testkit.servers.PostgresServer;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The history against a real PostgreSQL server started for this class. */
class PostgresHistoryTest extends HistoryContract {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  HistoryLocation emptyDatabase() {
    return HistoryLocation.parse(server.newDatabase(), Path.of("/unused"), Path.of("/unused"));
  }

  @Override
  DataSource dataSource(HistoryLocation location) {
    HistoryLocation.Postgres pg = (HistoryLocation.Postgres) location;
    return PostgresDatabase.open(pg.jdbcUrl(), pg.user(), pg.password());
  }

  @Override
  Dialect dialect() {
    return Dialect.POSTGRES;
  }
}
