package dev.tta.models.store;

import dev.tta.models.store.sqlite.SqliteDatabase;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteHistoryTest extends HistoryContract {

  @TempDir Path folder;
  private int databases;

  @Override
  HistoryLocation emptyDatabase() {
    return new HistoryLocation.Sqlite(folder.resolve("db" + ++databases).resolve("mm.db"));
  }

  @Override
  DataSource dataSource(HistoryLocation location) {
    return SqliteDatabase.open(((HistoryLocation.Sqlite) location).file());
  }

  @Override
  Dialect dialect() {
    return Dialect.SQLITE;
  }
}
