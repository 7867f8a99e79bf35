package dev.tta.models.store;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.history.KeyUsage;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.routing.RequestOrigin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The history's tables, read and written with plain JDBC in the same schema on SQLite and
 * PostgreSQL. Instants are kept as epoch milliseconds and durations as nanoseconds, so both
 * databases hold the same numbers. Synchronous; {@link HistoryWriter} keeps it off the request
 * path.
 */
final class JdbcHistoryStore {

  private static final String CALL_COLUMNS =
      "finished_at_ms, request_id, route, client, provider, model, task, attempt, latency_ns,"
          + " time_to_first_token_ns, prompt_tokens, completion_tokens, cost_usd, error_class,"
          + " quality_score, safety_score, memory_bytes, cpu_percent, gpu_percent";

  private static final String INSERT_CALL =
      "INSERT INTO mm_calls ("
          + CALL_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String INSERT_RESET =
      "INSERT INTO mm_resets (at_ms, kind, target) VALUES (?, ?, ?)";

  private static final String MODEL_RESET = "model";
  private static final String PROVIDER_RESET = "provider";

  private static final String DAY = "(finished_at_ms - finished_at_ms % 86400000)";

  /**
   * Adds the cost of each key's calls before a cut-off to its UTC days. The same text on both
   * databases; SQLite needs the WHERE to read ON CONFLICT as the upsert.
   */
  private static final String CARRY_SPEND =
      "INSERT INTO mm_spend_days (client, day_ms, cost_usd) SELECT client, "
          + DAY
          + ", SUM(cost_usd) FROM mm_calls WHERE finished_at_ms < ? AND client IS NOT NULL"
          + " GROUP BY client, "
          + DAY
          + " ON CONFLICT (client, day_ms) DO UPDATE"
          + " SET cost_usd = mm_spend_days.cost_usd + excluded.cost_usd";

  /** Rows read per round trip when replaying; PostgreSQL streams only with a fetch size. */
  private static final int FETCH_SIZE = 1_000;

  private final DataSource source;

  JdbcHistoryStore(DataSource source) {
    this.source = source;
  }

  /**
   * Writes the entries in one transaction: all or none. A statement is prepared only for a kind of
   * entry the batch has: resets are rare, and preparing is a good part of a one-call batch's cost.
   */
  void write(List<HistoryEntry> entries) throws SQLException {
    List<HistoryEntry.Call> calls = new ArrayList<>(entries.size());
    List<Reset> resets = new ArrayList<>();
    for (HistoryEntry entry : entries) {
      switch (entry) {
        case HistoryEntry.Call call -> calls.add(call);
        case HistoryEntry.ModelReset reset ->
            resets.add(new Reset(reset.at(), MODEL_RESET, reset.model().toString()));
        case HistoryEntry.ProviderReset reset ->
            resets.add(new Reset(reset.at(), PROVIDER_RESET, reset.provider().value()));
      }
    }
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (!calls.isEmpty()) {
          try (PreparedStatement statement = connection.prepareStatement(INSERT_CALL)) {
            for (HistoryEntry.Call call : calls) {
              bindCall(statement, call);
              statement.addBatch();
            }
            statement.executeBatch();
          }
        }
        if (!resets.isEmpty()) {
          try (PreparedStatement statement = connection.prepareStatement(INSERT_RESET)) {
            for (Reset reset : resets) {
              bindReset(statement, reset.at(), reset.kind(), reset.target());
              statement.addBatch();
            }
            statement.executeBatch();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** A reset as its row holds it. */
  private record Reset(Instant at, String kind, String target) {}

  private static void bindCall(PreparedStatement s, HistoryEntry.Call entry) throws SQLException {
    CallRecord call = entry.call();
    RequestOrigin origin = entry.origin();
    s.setLong(1, call.finishedAt().toEpochMilli());
    s.setString(2, origin.requestId());
    s.setString(3, origin.route());
    setText(s, 4, origin.client());
    s.setString(5, call.model().provider().value());
    s.setString(6, call.model().modelId());
    s.setString(7, call.task().wireName());
    s.setInt(8, entry.attempt());
    s.setLong(9, call.latency().toNanos());
    if (call.timeToFirstToken().isPresent()) {
      s.setLong(10, call.timeToFirstToken().get().toNanos());
    } else {
      s.setNull(10, Types.BIGINT);
    }
    s.setInt(11, call.promptTokens());
    s.setInt(12, call.completionTokens());
    s.setDouble(13, call.costUsd());
    setText(s, 14, call.error().map(ErrorClass::wireName));
    setReal(s, 15, call.qualityScore());
    setReal(s, 16, call.safetyScore());
    if (call.memoryBytes().isPresent()) {
      s.setLong(17, call.memoryBytes().getAsLong());
    } else {
      s.setNull(17, Types.BIGINT);
    }
    setReal(s, 18, call.cpuPercent());
    setReal(s, 19, call.gpuPercent());
  }

  private static void bindReset(PreparedStatement s, Instant at, String kind, String target)
      throws SQLException {
    s.setLong(1, at.toEpochMilli());
    s.setString(2, kind);
    s.setString(3, target);
  }

  private static void setText(PreparedStatement s, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setString(index, value.get());
    } else {
      s.setNull(index, Types.VARCHAR);
    }
  }

  private static void setReal(PreparedStatement s, int index, OptionalDouble value)
      throws SQLException {
    if (value.isPresent()) {
      s.setDouble(index, value.getAsDouble());
    } else {
      s.setNull(index, Types.DOUBLE);
    }
  }

  /**
   * Gives every call and reset at or after {@code since} to the sink, oldest first; a reset after
   * the calls of the same millisecond.
   */
  void replay(Instant since, Consumer<HistoryEntry> sink) throws SQLException {
    long from = since.toEpochMilli();
    List<HistoryEntry> resets = resetsSince(from);
    Iterator<HistoryEntry> pendingResets = resets.iterator();
    HistoryEntry nextReset = pendingResets.hasNext() ? pendingResets.next() : null;
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement s =
          connection.prepareStatement(
              "SELECT "
                  + CALL_COLUMNS
                  + " FROM mm_calls WHERE finished_at_ms >= ? ORDER BY finished_at_ms, id")) {
        s.setFetchSize(FETCH_SIZE);
        s.setLong(1, from);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            HistoryEntry.Call call = readCall(rows);
            while (nextReset != null && nextReset.at().isBefore(call.at())) {
              sink.accept(nextReset);
              nextReset = pendingResets.hasNext() ? pendingResets.next() : null;
            }
            sink.accept(call);
          }
        }
      } finally {
        connection.commit();
      }
    }
    while (nextReset != null) {
      sink.accept(nextReset);
      nextReset = pendingResets.hasNext() ? pendingResets.next() : null;
    }
  }

  private List<HistoryEntry> resetsSince(long from) throws SQLException {
    List<HistoryEntry> resets = new ArrayList<>();
    try (Connection connection = source.getConnection();
        PreparedStatement s =
            connection.prepareStatement(
                "SELECT at_ms, kind, target FROM mm_resets WHERE at_ms >= ? ORDER BY at_ms, id")) {
      s.setLong(1, from);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          Instant at = Instant.ofEpochMilli(rows.getLong(1));
          String target = rows.getString(3);
          resets.add(
              switch (rows.getString(2)) {
                case MODEL_RESET -> new HistoryEntry.ModelReset(ModelKey.parse(target), at);
                case PROVIDER_RESET -> new HistoryEntry.ProviderReset(ProviderId.of(target), at);
                default ->
                    throw new SQLException("mm_resets: unknown kind '" + rows.getString(2) + "'");
              });
        }
      }
    }
    return resets;
  }

  private static HistoryEntry.Call readCall(ResultSet rows) throws SQLException {
    Instant finishedAt = Instant.ofEpochMilli(rows.getLong("finished_at_ms"));
    String client = rows.getString("client");
    RequestOrigin origin =
        new RequestOrigin(
            rows.getString("request_id"), rows.getString("route"), Optional.ofNullable(client));
    ModelKey model = ModelKey.of(rows.getString("provider"), rows.getString("model"));
    long ttft = rows.getLong("time_to_first_token_ns");
    Optional<Duration> timeToFirstToken =
        rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos(ttft));
    String error = rows.getString("error_class");
    long memory = rows.getLong("memory_bytes");
    OptionalLong memoryBytes = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(memory);
    CallRecord call =
        new CallRecord(
            model,
            TaskType.fromWireName(rows.getString("task")),
            finishedAt,
            Duration.ofNanos(rows.getLong("latency_ns")),
            timeToFirstToken,
            rows.getInt("prompt_tokens"),
            rows.getInt("completion_tokens"),
            rows.getDouble("cost_usd"),
            Optional.ofNullable(error)
                .map(name -> ErrorClass.valueOf(name.toUpperCase(Locale.ROOT))),
            real(rows, "quality_score"),
            real(rows, "safety_score"),
            memoryBytes,
            real(rows, "cpu_percent"),
            real(rows, "gpu_percent"));
    return new HistoryEntry.Call(call, rows.getInt("attempt"), origin);
  }

  private static OptionalDouble real(ResultSet rows, String column) throws SQLException {
    double value = rows.getDouble(column);
    return rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /**
   * What the key spent on calls finished in {@code [from, to)}: the calls kept, and the calls past
   * the retention by their UTC day ({@code mm_spend_days}), exact for windows that start and end at
   * midnight UTC, as budget periods do.
   */
  double spent(String client, Instant from, Instant to) throws SQLException {
    try (Connection connection = source.getConnection();
        PreparedStatement s =
            connection.prepareStatement(
                "SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM mm_calls"
                    + " WHERE client = ? AND finished_at_ms >= ? AND finished_at_ms < ?)"
                    + " + (SELECT COALESCE(SUM(cost_usd), 0) FROM mm_spend_days"
                    + " WHERE client = ? AND day_ms >= ? AND day_ms < ?)")) {
      for (int offset : new int[] {0, 3}) {
        s.setString(offset + 1, client);
        s.setLong(offset + 2, from.toEpochMilli());
        s.setLong(offset + 3, to.toEpochMilli());
      }
      try (ResultSet rows = s.executeQuery()) {
        rows.next();
        return rows.getDouble(1);
      }
    }
  }

  /** Every key's spend in {@code [from, to)}, counted as {@link #spent} counts it. */
  Map<String, Double> spentByClient(Instant from, Instant to) throws SQLException {
    Map<String, Double> spent = new TreeMap<>();
    try (Connection connection = source.getConnection();
        PreparedStatement s =
            connection.prepareStatement(
                "SELECT client, SUM(cost_usd) FROM ("
                    + "SELECT client, cost_usd FROM mm_calls WHERE client IS NOT NULL"
                    + " AND finished_at_ms >= ? AND finished_at_ms < ?"
                    + " UNION ALL SELECT client, cost_usd FROM mm_spend_days"
                    + " WHERE day_ms >= ? AND day_ms < ?) spend GROUP BY client")) {
      for (int offset : new int[] {0, 2}) {
        s.setLong(offset + 1, from.toEpochMilli());
        s.setLong(offset + 2, to.toEpochMilli());
      }
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          spent.put(rows.getString(1), rows.getDouble(2));
        }
      }
    }
    return spent;
  }

  /**
   * Per key, the requests, tokens and cost of the calls kept that finished in {@code [from, to)}.
   */
  Map<String, KeyUsage> usageByClient(Instant from, Instant to) throws SQLException {
    Map<String, KeyUsage> usage = new TreeMap<>();
    try (Connection connection = source.getConnection();
        PreparedStatement s =
            connection.prepareStatement(
                "SELECT client, COUNT(DISTINCT request_id), SUM(prompt_tokens),"
                    + " SUM(completion_tokens), SUM(cost_usd) FROM mm_calls"
                    + " WHERE client IS NOT NULL AND finished_at_ms >= ? AND finished_at_ms < ?"
                    + " GROUP BY client")) {
      s.setLong(1, from.toEpochMilli());
      s.setLong(2, to.toEpochMilli());
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          usage.put(
              rows.getString(1),
              new KeyUsage(rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getDouble(5)));
        }
      }
    }
    return usage;
  }

  /**
   * Deletes calls and resets older than {@code cutoff}, first adding the cost of the calls to their
   * key's UTC day in {@code mm_spend_days}, so that spend and budgets outlive the retention.
   *
   * @return how many calls and resets were deleted
   */
  int deleteBefore(Instant cutoff) throws SQLException {
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement carry = connection.prepareStatement(CARRY_SPEND);
          PreparedStatement calls =
              connection.prepareStatement("DELETE FROM mm_calls WHERE finished_at_ms < ?");
          PreparedStatement resets =
              connection.prepareStatement("DELETE FROM mm_resets WHERE at_ms < ?")) {
        carry.setLong(1, cutoff.toEpochMilli());
        calls.setLong(1, cutoff.toEpochMilli());
        resets.setLong(1, cutoff.toEpochMilli());
        carry.executeUpdate();
        int deleted = calls.executeUpdate() + resets.executeUpdate();
        connection.commit();
        return deleted;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
