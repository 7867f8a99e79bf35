package dev.tta.models.store;

import static dev.tta.models.store.HistoryContract.T0;
import static dev.tta.models.store.HistoryContract.replay;
import static dev.tta.models.store.HistoryContract.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.store.sqlite.SqliteDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching writer over a real SQLite file, whose connections a test can hold back (a database
 * that hangs) or refuse (a database that is down).
 */
class HistoryWriterTest {

  /**
   * How long a test waits for the writer's thread: what it waits for takes milliseconds; three
   * seconds are ample on a loaded machine and short of PIT's timeout, so that a mutant that makes
   * the writer stall fails the test instead of costing a new minion JVM.
   */
  private static final Duration LIMIT = Duration.ofSeconds(3);

  /**
   * A pool that can be down for everyone, or hold back or fail the writer thread alone (the
   * clean-up and the test's own reads going through).
   */
  private static final class Gate implements DataSource {
    final DataSource real;
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch waiting = new CountDownLatch(1);
    final AtomicInteger writerFailuresLeft = new AtomicInteger();
    volatile boolean closed = true;
    volatile boolean down;

    Gate(DataSource real) {
      this.real = real;
    }

    void open() {
      closed = false;
      open.countDown();
    }

    @Override
    public Connection getConnection() throws SQLException {
      boolean writer = Thread.currentThread().getName().equals("mm-history-writer");
      if (down || (writer && writerFailuresLeft.getAndUpdate(n -> n == 0 ? 0 : n - 1) > 0)) {
        throw new SQLException("database down (test)");
      }
      if (closed && writer) {
        waiting.countDown();
        try {
          if (!open.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new SQLException("the test never opened the gate");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException(e);
        }
      }
      return real.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  /**
   * What the logger (slf4j-simple, which looks up {@code System.err} at every line) writes while it
   * is open, from any thread.
   */
  private static final class Stderr implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    Stderr() {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    String text() {
      return captured.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }

  @TempDir Path folder;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private HikariDataSource sqlite;
  private Gate gate;
  private HistoryWriter writer;

  @BeforeEach
  void openDatabase() throws SQLException {
    sqlite = SqliteDatabase.open(folder.resolve("mm.db"));
    Migrator.migrate(sqlite, Dialect.SQLITE, Migration.ALL, Migration.latest());
    gate = new Gate(sqlite);
  }

  @AfterEach
  void close() {
    gate.open();
    if (writer != null) {
      writer.close();
    }
    sqlite.close();
  }

  private HistoryWriter writer(int capacity) {
    writer =
        new HistoryWriter(
            new JdbcHistoryStore(gate),
            "test-db",
            () -> {},
            new HistorySettings(HistorySettings.DEFAULT_RETENTION, capacity),
            InstantSource.fixed(T0),
            registry);
    return writer;
  }

  private double counted(String name) {
    return registry.get(name).counter().count();
  }

  private static HistoryEntry entry(int second) {
    return success(T0.plusSeconds(second), "team-a", second);
  }

  @Test
  void aFullQueue_dropsTheEntry_countsAndLogsIt_andLosesNothingElse() throws Exception {
    HistoryWriter history = writer(2);
    history.append(entry(1));
    // the writer took entry 1 and waits for the database: the queue is empty again
    assertThat(gate.waiting.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    history.append(entry(2));
    history.append(entry(3));
    assertThat(registry.get(HistoryWriter.QUEUED).gauge().value()).isEqualTo(2.0);

    String log;
    try (Stderr captured = new Stderr()) {
      history.append(entry(4));
      history.append(entry(5));
      log = captured.text();
    }

    assertThat(counted(HistoryWriter.DROPPED)).isEqualTo(2.0);
    // the first drop of a run is logged, not every one
    assertThat(log)
        .containsOnlyOnce("history queue full")
        .contains("history queue full (2 entries) or closed: 1 entries dropped so far");
    gate.open();
    assertThat(history.awaitWritten(LIMIT)).isTrue();
    assertThat(replay(history, Instant.EPOCH)).containsExactly(entry(1), entry(2), entry(3));
    assertThat(counted(HistoryWriter.WRITE_FAILURES)).isZero();
  }

  @Test
  void drops_areLoggedAtTheFirst_andEveryThousandth() throws Exception {
    HistoryWriter history = writer(1);
    history.append(entry(1));
    assertThat(gate.waiting.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    history.append(entry(2));

    String log;
    try (Stderr captured = new Stderr()) {
      for (int i = 0; i < 2_000; i++) {
        history.append(entry(3));
      }
      log = captured.text();
    }

    assertThat(counted(HistoryWriter.DROPPED)).isEqualTo(2_000.0);
    assertThat(log.lines().filter(line -> line.contains("history queue full")))
        .containsExactly(
            "[main] WARN dev.tta.models.store.HistoryWriter - history queue full (1 entries) or"
                + " closed: 1 entries dropped so far",
            "[main] WARN dev.tta.models.store.HistoryWriter - history queue full (1 entries) or"
                + " closed: 1000 entries dropped so far",
            "[main] WARN dev.tta.models.store.HistoryWriter - history queue full (1 entries) or"
                + " closed: 2000 entries dropped so far");
  }

  @Test
  void aFailedWrite_isRetried_untilItWorks_theEntriesKept_saidOnceEachWay() throws Exception {
    gate.open();
    gate.writerFailuresLeft.set(2);
    HistoryWriter history = writer(16);

    String log;
    try (Stderr captured = new Stderr()) {
      history.append(entry(1));
      history.append(entry(2));
      assertThat(history.awaitWritten(LIMIT)).isTrue();
      log = captured.text();
    }

    assertThat(counted(HistoryWriter.WRITE_FAILURES)).isEqualTo(2.0);
    assertThat(replay(history, Instant.EPOCH)).containsExactly(entry(1), entry(2));
    assertThat(log)
        // the writer may have taken one entry or both in its first batch
        .containsOnlyOnce(
            "history entries to test-db (database down (test)); retrying, the entries are kept")
        .containsOnlyOnce("history writes to test-db work again");
  }

  @Test
  void aWriteThatWorksAtOnce_saysNothing() throws Exception {
    gate.open();
    HistoryWriter history = writer(16);

    String log;
    try (Stderr captured = new Stderr()) {
      history.append(entry(1));
      assertThat(history.awaitWritten(LIMIT)).isTrue();
      log = captured.text();
    }

    assertThat(log).doesNotContain("history");
  }

  @Test
  void afterAQuietSpell_theWriterStillWrites() throws Exception {
    gate.open();
    HistoryWriter history = writer(16);
    history.append(entry(1));
    assertThat(history.awaitWritten(LIMIT)).isTrue();

    // longer than the writer's 100 ms wait for an entry: it has found the queue empty
    Thread.sleep(300);
    history.append(entry(2));

    assertThat(history.awaitWritten(LIMIT)).isTrue();
    assertThat(replay(history, Instant.EPOCH)).containsExactly(entry(1), entry(2));
  }

  @Test
  void awaitWritten_whileTheDatabaseHangs_givesUpAtItsLimit() throws Exception {
    HistoryWriter history = writer(16);
    history.append(entry(1));
    assertThat(gate.waiting.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(history.awaitWritten(Duration.ofMillis(50))).isFalse();

    gate.open();
    assertThat(history.awaitWritten(LIMIT)).isTrue();
  }

  @Test
  void nothingAppended_isWrittenAtOnce() throws Exception {
    assertThat(writer(16).awaitWritten(Duration.ZERO)).isTrue();
  }

  @Test
  void close_writesWhatIsQueued_andAnEntryAfterItIsDropped() throws Exception {
    gate.open();
    HistoryWriter history = writer(16);
    history.append(entry(1));
    history.append(entry(2));
    history.append(entry(3));

    history.close();
    history.append(entry(4));

    assertThat(counted(HistoryWriter.DROPPED)).isEqualTo(1.0);
    HistoryWriter reopened = writer(16);
    assertThat(replay(reopened, Instant.EPOCH)).containsExactly(entry(1), entry(2), entry(3));
  }

  @Test
  void close_releasesTheDatabaseOnce_howeverOftenItIsCalled() {
    gate.open();
    AtomicInteger released = new AtomicInteger();
    HistoryWriter history =
        new HistoryWriter(
            new JdbcHistoryStore(gate),
            "test-db",
            released::incrementAndGet,
            HistorySettings.defaults(),
            InstantSource.fixed(T0),
            registry);

    history.close();
    history.close();

    assertThat(released).hasValue(1);
  }

  @Test
  void close_whileTheDatabaseStaysDown_givesUpOnWhatItCannotWrite() {
    gate.open();
    gate.down = true;
    HistoryWriter history = writer(16);
    history.append(entry(1));

    long started = System.nanoTime();
    history.close();

    // well within the writer's 10 s to finish: it saw the close at its next retry
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HistoryWriter.CLOSE_WAIT);
    assertThat(counted(HistoryWriter.WRITE_FAILURES)).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void readsFromADatabaseThatIsDown_sayWhere() {
    gate.open();
    gate.down = true;
    HistoryWriter history = writer(16);

    assertThat(history.cleanUp()).isZero();
    assertThatThrownBy(() -> history.replay(Instant.EPOCH, e -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot read the history in test-db");
    assertThatThrownBy(() -> history.spent("team-a", Instant.EPOCH, T0))
        .hasMessage("cannot read spend from test-db");
    assertThatThrownBy(() -> history.spentByClient(Instant.EPOCH, T0))
        .hasMessage("cannot read spend from test-db");
    assertThat(history.description()).isEqualTo("test-db");
  }

  @Test
  void theCleanUp_runsBeforeTheWriterIsUsed() throws Exception {
    gate.open();
    // 30 days before T0 is the cut-off: 2026-04-10T12:00:00Z
    new JdbcHistoryStore(sqlite)
        .write(
            List.of(
                success(Instant.parse("2026-04-10T11:59:59.999Z"), "team-a", 1),
                success(Instant.parse("2026-04-10T12:00:00Z"), "team-a", 2)));

    HistoryWriter opened;
    String log;
    try (Stderr captured = new Stderr()) {
      opened = writer(16);
      log = captured.text();
    }

    assertThat(replay(opened, Instant.EPOCH))
        .containsExactly(success(Instant.parse("2026-04-10T12:00:00Z"), "team-a", 2));
    assertThat(log)
        .contains("history: 1 entries older than 2026-04-10T12:00:00Z deleted")
        .containsOnlyOnce("history:");
    // nothing more to delete: nothing said
    try (Stderr captured = new Stderr()) {
      assertThat(opened.cleanUp()).isZero();
      assertThat(captured.text()).doesNotContain("deleted");
    }
  }

  @Test
  void settings_needAPositiveRetentionAndRoomForOneEntry() {
    assertThat(HistorySettings.defaults())
        .isEqualTo(new HistorySettings(Duration.ofDays(30), 65_536));
    assertThatThrownBy(() -> new HistorySettings(Duration.ZERO, 1))
        .hasMessage("retention: must be a positive duration");
    assertThatThrownBy(() -> new HistorySettings(Duration.ofDays(-1), 1))
        .hasMessage("retention: must be a positive duration");
    assertThatThrownBy(() -> new HistorySettings(null, 1))
        .hasMessage("retention: must be a positive duration");
    assertThatThrownBy(() -> new HistorySettings(Duration.ofDays(1), 0))
        .hasMessage("queue_capacity: must be at least 1, was 0");
    assertThat(new HistorySettings(Duration.ofMillis(1), 1).queueCapacity()).isEqualTo(1);
  }
}
