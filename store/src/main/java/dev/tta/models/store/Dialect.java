package dev.tta.models.store;

import java.util.List;

/**
 * What differs between the SQL databases the history is kept in: types, how a row gets its id, and
 * how concurrent migrations are kept apart (several replicas may start at once on PostgreSQL).
 */
public enum Dialect {
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", List.of()),
  POSTGRES(
      "BIGSERIAL PRIMARY KEY",
      "DOUBLE PRECISION",
      // one transaction-scoped lock for every migrating replica; released at commit
      List.of("SELECT pg_advisory_xact_lock(7326583195144192)"));

  private final String idColumn;
  private final String realType;
  private final List<String> migrationLock;

  Dialect(String idColumn, String realType, List<String> migrationLock) {
    this.idColumn = idColumn;
    this.realType = realType;
    this.migrationLock = migrationLock;
  }

  /** The type of an auto-numbered primary key column. */
  String idColumn() {
    return idColumn;
  }

  /** The type of a floating-point column. */
  String realType() {
    return realType;
  }

  /** Statements that make a migrating transaction wait for another one. */
  List<String> migrationLock() {
    return migrationLock;
  }
}
