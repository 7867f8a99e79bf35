package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.history.CallHistory;
import dev.tta.models.store.postgres.PostgresDatabase;
import dev.tta.models.testkit.servers.PostgresServer;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  /**
   * Replicas that start together on an empty database: without the advisory lock their {@code
   * CREATE TABLE}s and version rows collide (a duplicate key in PostgreSQL's catalog or in {@code
   * mm_schema}); with it one migrates and the others find the schema done.
   */
  @Test
  void replicasStartingAtOnce_migrateTheDatabaseOnce_withoutAnError() throws Exception {
    HistoryLocation location = emptyDatabase();
    int replicas = 4;
    CyclicBarrier together = new CyclicBarrier(replicas);
    List<Future<CallHistory>> opened = new ArrayList<>();
    try (ExecutorService starts = Executors.newFixedThreadPool(replicas)) {
      for (int i = 0; i < replicas; i++) {
        opened.add(
            starts.submit(
                () -> {
                  together.await();
                  return open(location, InstantSource.fixed(T0));
                }));
      }
      for (Future<CallHistory> history : opened) {
        history.get(60, TimeUnit.SECONDS).close();
      }
    }

    assertThat(versions(dataSource(location))).containsExactly(1, 2, 3);
  }
}
