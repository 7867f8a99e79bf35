package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.history.CallHistory;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.history.KeyUsage;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.routing.RequestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The history's behaviour, the same on every database; each subclass brings a real one. */
abstract class HistoryContract {

  static final Instant T0 = Instant.parse("2026-05-10T12:00:00Z");

  /**
   * How long a test waits for its entries to be written: milliseconds on SQLite or a local
   * PostgreSQL, so three seconds are ample on a loaded machine and short of PIT's timeout; a mutant
   * that makes every write fail then fails the test instead of costing a new minion JVM.
   */
  static final Duration WRITE_LIMIT = Duration.ofSeconds(3);

  static final ModelKey MODEL = ModelKey.of("cloud", "best");
  static final ModelKey OTHER = ModelKey.of("local", "small");

  /** A location of an empty database. */
  abstract HistoryLocation emptyDatabase();

  /** A pool over that database, for looking at it from outside the history. */
  abstract DataSource dataSource(HistoryLocation location);

  abstract Dialect dialect();

  CallHistory open(HistoryLocation location, InstantSource time) {
    return Storage.openHistory(
        location, HistorySettings.defaults(), time, new SimpleMeterRegistry());
  }

  static HistoryEntry.Call success(Instant at, String client, double cost) {
    return new HistoryEntry.Call(
        CallRecord.success(
            MODEL,
            TaskType.GENERAL_CHAT,
            at,
            Duration.ofMillis(250),
            Optional.of(Duration.ofMillis(40)),
            12,
            30,
            cost),
        1,
        new RequestOrigin("chatcmpl-1", "auto", Optional.ofNullable(client)));
  }

  static HistoryEntry.Call failure(Instant at, int attempt) {
    return new HistoryEntry.Call(
        CallRecord.failure(
            OTHER, TaskType.THERAPEUTIC_RESPONSE, at, Duration.ofMillis(5), ErrorClass.TIMEOUT),
        attempt,
        new RequestOrigin("chatcmpl-2", "therapeutic", Optional.empty()));
  }

  static List<HistoryEntry> replay(CallHistory history, Instant since) {
    List<HistoryEntry> entries = new ArrayList<>();
    history.replay(since, entries::add);
    return entries;
  }

  @Test
  void appendedEntries_comeBackEqual_inTimeOrder_resetsAfterTheCallsOfTheirMillisecond()
      throws Exception {
    HistoryEntry.Call measured =
        new HistoryEntry.Call(
            new CallRecord(
                MODEL,
                TaskType.NARRATIVE_GENERATION,
                T0.plusMillis(2),
                Duration.ofNanos(1_234_567_891),
                Optional.of(Duration.ofNanos(98_765_432)),
                7,
                9,
                0.000125,
                Optional.empty(),
                OptionalDouble.of(8.5),
                OptionalDouble.of(9.0),
                OptionalLong.of(4_294_967_296L),
                OptionalDouble.of(12.5),
                OptionalDouble.of(99.0)),
            3,
            new RequestOrigin("chatcmpl-9", "story", Optional.of("team-a")));
    HistoryEntry reset = new HistoryEntry.ModelReset(OTHER, T0.plusMillis(1));
    HistoryEntry providerReset = new HistoryEntry.ProviderReset(ProviderId.of("local"), T0);
    HistoryEntry.Call failed = failure(T0.plusMillis(1), 2);
    try (CallHistory history = open(emptyDatabase(), InstantSource.fixed(T0))) {
      history.append(measured);
      history.append(reset);
      history.append(failed);
      history.append(providerReset);
      history.append(success(T0.minusMillis(1), "team-a", 0.5));
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();

      assertThat(replay(history, T0)).containsExactly(providerReset, failed, reset, measured);
    }
  }

  @Test
  void resetsAfterTheLastCall_orWithoutAnyCall_allComeBackInOrder() throws Exception {
    HistoryEntry first = new HistoryEntry.ModelReset(MODEL, T0.plusMillis(1));
    HistoryEntry second = new HistoryEntry.ProviderReset(ProviderId.of("cloud"), T0.plusMillis(2));
    HistoryEntry third = new HistoryEntry.ModelReset(OTHER, T0.plusMillis(3));
    try (CallHistory history = open(emptyDatabase(), InstantSource.fixed(T0))) {
      history.append(third);
      history.append(first);
      history.append(second);
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();
      assertThat(replay(history, T0)).containsExactly(first, second, third);

      history.append(success(T0, "team-a", 1));
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();
      assertThat(replay(history, T0))
          .containsExactly(success(T0, "team-a", 1), first, second, third);
    }
  }

  @Test
  void spent_sumsTheKeysCosts_overFromInclusiveToExclusive() throws Exception {
    Instant from = Instant.parse("2026-05-01T00:00:00Z");
    Instant to = Instant.parse("2026-06-01T00:00:00Z");
    try (CallHistory history = open(emptyDatabase(), InstantSource.fixed(T0))) {
      history.append(success(from.minusMillis(1), "team-a", 100)); // before: not counted
      history.append(success(from, "team-a", 0.25)); // first millisecond: counted
      history.append(success(T0, "team-a", 0.5));
      history.append(success(to.minusMillis(1), "team-a", 1.0)); // last millisecond: counted
      history.append(success(to, "team-a", 200)); // next month: not counted
      history.append(success(T0, "team-b", 2.0));
      history.append(success(T0, null, 4.0)); // no key: nobody's spend
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();

      // 0.25 + 0.5 + 1.0 = 1.75
      assertThat(history.spent("team-a", from, to)).isCloseTo(1.75, within(1e-12));
      assertThat(history.spent("nobody", from, to)).isZero();
      assertThat(history.spentByClient(from, to))
          .containsExactly(Map.entry("team-a", 1.75), Map.entry("team-b", 2.0));
    }
  }

  @Test
  void usageByClient_countsRequestsOnce_andEveryCallsTokensAndCost_inItsWindow() throws Exception {
    // success(...) costs 12 prompt and 30 completion tokens and belongs to request chatcmpl-1
    HistoryEntry.Call failedFirst =
        new HistoryEntry.Call(
            CallRecord.failure(
                OTHER, TaskType.GENERAL_CHAT, T0, Duration.ofMillis(5), ErrorClass.TIMEOUT),
            1,
            new RequestOrigin("chatcmpl-1", "auto", Optional.of("team-a")));
    HistoryEntry.Call otherRequest =
        new HistoryEntry.Call(
            CallRecord.success(
                MODEL,
                TaskType.GENERAL_CHAT,
                T0.plusSeconds(2),
                Duration.ofMillis(100),
                Optional.empty(),
                5,
                7,
                0.25),
            1,
            new RequestOrigin("chatcmpl-3", "auto", Optional.of("team-a")));
    try (CallHistory history = open(emptyDatabase(), InstantSource.fixed(T0))) {
      history.append(failedFirst);
      history.append(success(T0.plusSeconds(1), "team-a", 0.5));
      history.append(otherRequest);
      history.append(success(T0.plusSeconds(3), "team-b", 2.0));
      history.append(success(T0.plusSeconds(4), null, 9.0));
      history.append(success(T0.plusSeconds(60), "team-b", 4.0));
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();

      assertThat(history.usageByClient(T0, T0.plusSeconds(60)))
          .containsExactly(
              Map.entry("team-a", new KeyUsage(2, 12 + 5, 30 + 7, 0.75)),
              Map.entry("team-b", new KeyUsage(1, 12, 30, 2.0)));
      assertThat(history.usageByClient(T0.plusSeconds(61), T0.plusSeconds(120))).isEmpty();
    }
  }

  @Test
  void cleanUp_deletesWhatIsOlderThanTheRetention_keepsTheRest() throws Exception {
    // retention 30 days: the cut-off is 2026-04-10T12:00:00Z
    Instant cutoff = Instant.parse("2026-04-10T12:00:00Z");
    HistoryLocation location = emptyDatabase();
    try (CallHistory history = open(location, InstantSource.fixed(T0))) {
      history.append(success(cutoff.minusMillis(1), "team-a", 1));
      history.append(new HistoryEntry.ModelReset(MODEL, cutoff.minusMillis(1)));
      history.append(success(cutoff, "team-a", 2));
      history.append(new HistoryEntry.ModelReset(MODEL, cutoff));
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();

      assertThat(((HistoryWriter) history).cleanUp()).isEqualTo(2);

      assertThat(replay(history, Instant.EPOCH))
          .containsExactly(
              success(cutoff, "team-a", 2), new HistoryEntry.ModelReset(MODEL, cutoff));
    }
  }

  @Test
  void theSpendOfCallsPastTheRetention_isKeptByKeyAndUtcDay() throws Exception {
    // retention 30 days: the cut-off is 2026-04-10T12:00:00Z
    Instant march = Instant.parse("2026-03-01T00:00:00Z");
    Instant april = Instant.parse("2026-04-01T00:00:00Z");
    Instant may = Instant.parse("2026-05-01T00:00:00Z");
    Instant june = Instant.parse("2026-06-01T00:00:00Z");
    Instant tenth = Instant.parse("2026-04-10T00:00:00Z");
    Instant never = Instant.parse("9999-12-31T23:59:59Z");
    try (CallHistory history = open(emptyDatabase(), InstantSource.fixed(T0))) {
      history.append(success(Instant.parse("2026-03-15T10:00:00Z"), "team-a", 1));
      history.append(success(Instant.parse("2026-03-15T23:00:00Z"), "team-a", 2));
      history.append(success(Instant.parse("2026-04-10T11:00:00Z"), "team-a", 4));
      history.append(success(Instant.parse("2026-04-10T13:00:00Z"), "team-a", 8)); // kept
      history.append(success(Instant.parse("2026-05-01T00:00:00Z"), "team-a", 16)); // kept
      history.append(success(Instant.parse("2026-03-31T23:59:59.999Z"), "team-b", 32));
      history.append(success(Instant.parse("2026-03-20T00:00:00Z"), null, 64)); // nobody's
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();

      // 3 calls of team-a, 1 of team-b and the one without a key are past the cut-off
      assertThat(((HistoryWriter) history).cleanUp()).isEqualTo(5);

      // 1 + 2 + 4 + 8 + 16 = 31 in all; March 1 + 2; April 4 (its day) + 8; the 10th 4 + 8
      assertThat(history.spent("team-a", Instant.EPOCH, never)).isEqualTo(31.0);
      assertThat(history.spent("team-a", march, april)).isEqualTo(3.0);
      assertThat(history.spent("team-a", april, may)).isEqualTo(12.0);
      assertThat(history.spent("team-a", tenth, tenth.plus(Duration.ofDays(1)))).isEqualTo(12.0);
      assertThat(history.spent("team-a", may, june)).isEqualTo(16.0);
      assertThat(history.spent("team-b", march, april)).isEqualTo(32.0);
      assertThat(history.spentByClient(march, april))
          .containsExactly(Map.entry("team-a", 3.0), Map.entry("team-b", 32.0));
      assertThat(history.spentByClient(Instant.EPOCH, never))
          .containsExactly(Map.entry("team-a", 31.0), Map.entry("team-b", 32.0));

      // a later clean-up adds to a day already kept: 4 + 0.5
      history.append(success(Instant.parse("2026-04-10T11:30:00Z"), "team-a", 0.5));
      assertThat(history.awaitWritten(WRITE_LIMIT)).isTrue();
      assertThat(((HistoryWriter) history).cleanUp()).isEqualTo(1);
      assertThat(history.spent("team-a", tenth, tenth.plus(Duration.ofDays(1)))).isEqualTo(12.5);
      assertThat(history.spent("team-a", Instant.EPOCH, never)).isEqualTo(31.5);
    }
  }

  @Test
  void anEmptyDatabase_isMigratedToTheLatestVersion_once() throws Exception {
    HistoryLocation location = emptyDatabase();
    open(location, InstantSource.fixed(T0)).close();
    open(location, InstantSource.fixed(T0)).close();

    assertThat(versions(dataSource(location))).containsExactly(1, 2, 3);
  }

  @Test
  void aDatabaseAtTheFirstVersion_isMigrated_andItsRowsReadWithoutTheNewMeasurements()
      throws Exception {
    HistoryLocation location = emptyDatabase();
    DataSource source = dataSource(location);
    assertThat(Migrator.migrate(source, dialect(), Migration.ALL, 1)).isEqualTo(1);
    try (Connection connection = source.getConnection();
        Statement s = connection.createStatement()) {
      // a row as version 1 wrote it: 2026-05-10T12:00:00Z, 250 ms, 40 ms to the first token
      s.execute(
          "INSERT INTO mm_calls (finished_at_ms, request_id, route, client, provider, model, task,"
              + " attempt, latency_ns, time_to_first_token_ns, prompt_tokens, completion_tokens,"
              + " cost_usd, error_class) VALUES (1778414400000, 'chatcmpl-1', 'auto', 'team-a',"
              + " 'cloud', 'best', 'general_chat', 1, 250000000, 40000000, 12, 30, 0.5, NULL)");
    }

    try (CallHistory history = open(location, InstantSource.fixed(T0))) {
      assertThat(replay(history, T0)).containsExactly(success(T0, "team-a", 0.5));
    }
    assertThat(versions(source)).containsExactly(1, 2, 3);
  }

  @Test
  void aDatabaseNewerThanTheCode_isRefused() throws Exception {
    HistoryLocation location = emptyDatabase();
    DataSource source = dataSource(location);
    Migrator.migrate(source, dialect(), Migration.ALL, 3);
    try (Connection connection = source.getConnection();
        Statement s = connection.createStatement()) {
      s.execute(
          "INSERT INTO mm_schema (version, description, applied_at_ms) VALUES (4, 'future', 0)");
    }

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> open(location, InstantSource.fixed(T0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema is at version 4, newer than this gateway knows (3)");
  }

  static List<Integer> versions(DataSource source) throws Exception {
    List<Integer> versions = new ArrayList<>();
    try (Connection connection = source.getConnection();
        Statement s = connection.createStatement();
        ResultSet rows = s.executeQuery("SELECT version FROM mm_schema ORDER BY version")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }
}
