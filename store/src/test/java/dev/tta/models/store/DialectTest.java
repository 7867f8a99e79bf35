package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialectTest {

  /**
   * The advisory lock's number is shared by every version of the gateway: replicas of an old and a
   * new version starting together must wait for each other, so it never changes.
   */
  @Test
  void postgres_migratesBehindOneAdvisoryLockForEveryVersion_sqliteAlone() {
    assertThat(Dialect.POSTGRES.migrationLock())
        .containsExactly("SELECT pg_advisory_xact_lock(7326583195144192)");
    assertThat(Dialect.SQLITE.migrationLock()).isEmpty();
  }

  @Test
  void theColumnTypes_ofEachDialect() {
    assertThat(Dialect.SQLITE.idColumn()).isEqualTo("INTEGER PRIMARY KEY AUTOINCREMENT");
    assertThat(Dialect.SQLITE.realType()).isEqualTo("REAL");
    assertThat(Dialect.POSTGRES.idColumn()).isEqualTo("BIGSERIAL PRIMARY KEY");
    assertThat(Dialect.POSTGRES.realType()).isEqualTo("DOUBLE PRECISION");
  }
}
