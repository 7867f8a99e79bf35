package dev.tta.models.store;

import java.util.List;
import java.util.function.Function;

/**
 * One version of the history's schema: the statements that bring the previous version to it.
 *
 * @param statements per dialect
 */
record Migration(int version, String description, Function<Dialect, List<String>> statements) {

  /**
   * Every version, oldest first. A released migration is never edited: a change is a new version.
   */
  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "calls and resets",
              d ->
                  List.of(
                      "CREATE TABLE mm_calls ("
                          + ("id " + d.idColumn() + ", ")
                          + "finished_at_ms BIGINT NOT NULL, "
                          + "request_id TEXT NOT NULL, "
                          + "route TEXT NOT NULL, "
                          + "client TEXT, "
                          + "provider TEXT NOT NULL, "
                          + "model TEXT NOT NULL, "
                          + "task TEXT NOT NULL, "
                          + "attempt INTEGER NOT NULL, "
                          + "latency_ns BIGINT NOT NULL, "
                          + "time_to_first_token_ns BIGINT, "
                          + "prompt_tokens INTEGER NOT NULL, "
                          + "completion_tokens INTEGER NOT NULL, "
                          + ("cost_usd " + d.realType() + " NOT NULL, ")
                          + "error_class TEXT)",
                      "CREATE INDEX mm_calls_finished ON mm_calls (finished_at_ms)",
                      "CREATE INDEX mm_calls_client ON mm_calls (client, finished_at_ms)",
                      "CREATE TABLE mm_resets ("
                          + ("id " + d.idColumn() + ", ")
                          + "at_ms BIGINT NOT NULL, "
                          + "kind TEXT NOT NULL, "
                          + "target TEXT NOT NULL)",
                      "CREATE INDEX mm_resets_at ON mm_resets (at_ms)")),
          new Migration(
              2,
              "the optional measurements of a call",
              d ->
                  List.of(
                      "ALTER TABLE mm_calls ADD COLUMN quality_score " + d.realType(),
                      "ALTER TABLE mm_calls ADD COLUMN safety_score " + d.realType(),
                      "ALTER TABLE mm_calls ADD COLUMN memory_bytes BIGINT",
                      "ALTER TABLE mm_calls ADD COLUMN cpu_percent " + d.realType(),
                      "ALTER TABLE mm_calls ADD COLUMN gpu_percent " + d.realType())),
          new Migration(
              3,
              "the spend of calls past the retention, per key and UTC day",
              d ->
                  List.of(
                      "CREATE TABLE mm_spend_days ("
                          + "client TEXT NOT NULL, "
                          + "day_ms BIGINT NOT NULL, "
                          + ("cost_usd " + d.realType() + " NOT NULL, ")
                          + "PRIMARY KEY (client, day_ms))")));

  /** The version the code reads and writes. */
  static int latest() {
    return ALL.getLast().version();
  }
}
