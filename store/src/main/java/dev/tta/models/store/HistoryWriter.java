package dev.tta.models.store;

import dev.tta.models.history.CallHistory;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.history.KeyUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CallHistory} over a database: {@link #append} puts the entry in a bounded queue and
 * returns; one writer thread takes whatever is queued (up to {@link #BATCH_SIZE}) and writes it in
 * one transaction, so that a busy gateway writes many calls per commit and a quiet one writes each
 * at once. A full queue drops the entry, counts it ({@value #DROPPED}) and logs; a failed write is
 * retried with growing pauses, the entries kept, until it succeeds or the writer closes. Entries
 * older than the retention are deleted when the writer opens and every {@link
 * HistorySettings#CLEAN_UP_INTERVAL}.
 */
public final class HistoryWriter implements CallHistory {

  /** Counter: entries dropped because the queue was full. */
  public static final String DROPPED = "mm.history.dropped";

  /** Counter: writes that failed (each is retried). */
  public static final String WRITE_FAILURES = "mm.history.write_failures";

  /** Gauge: entries waiting to be written. */
  public static final String QUEUED = "mm.history.queued";

  /** Entries written per transaction at most. */
  static final int BATCH_SIZE = 1_000;

  static final Duration FIRST_RETRY = Duration.ofMillis(100);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);

  /** How long {@link #close} lets the writer finish what is queued. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

  private final JdbcHistoryStore store;
  private final String description;
  private final AutoCloseable resources;
  private final HistorySettings settings;
  private final InstantSource time;
  private final BlockingQueue<HistoryEntry> queue;
  private final Counter dropped;
  private final Counter writeFailures;
  private final ReentrantLock progress = new ReentrantLock();
  private final Condition written = progress.newCondition();
  private final Thread writer;
  private final ScheduledExecutorService cleaner;
  private long accepted;
  private long settled;
  private volatile boolean closing;

  /**
   * @param resources released on close, after the last write (the connection pool)
   */
  HistoryWriter(
      JdbcHistoryStore store,
      String description,
      AutoCloseable resources,
      HistorySettings settings,
      InstantSource time,
      MeterRegistry registry) {
    this.store = store;
    this.description = description;
    this.resources = resources;
    this.settings = settings;
    this.time = time;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.dropped =
        Counter.builder(DROPPED)
            .description("History entries dropped because the write queue was full")
            .register(registry);
    this.writeFailures =
        Counter.builder(WRITE_FAILURES)
            .description("History writes that failed and were retried")
            .register(registry);
    Gauge.builder(QUEUED, queue, BlockingQueue::size)
        .description("History entries waiting to be written")
        .register(registry);
    // the first clean-up before anything is written, so that what a start finds is what the
    // retention keeps; the next ones on their own thread
    cleanUp();
    this.writer = Thread.ofPlatform().name("mm-history-writer").daemon().start(this::writeLoop);
    this.cleaner =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mm-history-retention").daemon().factory());
    long interval = HistorySettings.CLEAN_UP_INTERVAL.toMillis();
    cleaner.scheduleWithFixedDelay(this::cleanUp, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public void append(HistoryEntry entry) {
    progress.lock();
    try {
      if (!closing && queue.offer(entry)) {
        accepted++;
        return;
      }
    } finally {
      progress.unlock();
    }
    dropped.increment();
    // the first drop of a run says why; the counter says how many
    if (dropped.count() == 1 || dropped.count() % 1_000 == 0) {
      LOG.warn(
          "history queue full ({} entries) or closed: {} entries dropped so far",
          settings.queueCapacity(),
          (long) dropped.count());
    }
  }

  @Override
  public boolean awaitWritten(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    progress.lock();
    try {
      long target = accepted;
      while (settled < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        written.awaitNanos(left);
      }
      return true;
    } finally {
      progress.unlock();
    }
  }

  private void writeLoop() {
    List<HistoryEntry> batch = new ArrayList<>();
    while (true) {
      try {
        HistoryEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH_SIZE - 1);
        writeWithRetries(batch);
        settle(batch.size());
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void writeWithRetries(List<HistoryEntry> batch) throws InterruptedException {
    Duration pause = FIRST_RETRY;
    boolean failing = false;
    while (true) {
      try {
        store.write(batch);
        if (failing) {
          LOG.info("history writes to {} work again", description);
        }
        return;
      } catch (SQLException | RuntimeException e) {
        writeFailures.increment();
        if (!failing) {
          LOG.warn(
              "cannot write {} history entries to {} ({}); retrying, the entries are kept",
              batch.size(),
              description,
              e.getMessage());
          failing = true;
        }
        if (closing && queue.isEmpty()) {
          LOG.warn("closing: {} history entries could not be written", batch.size());
          return;
        }
        Thread.sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
      }
    }
  }

  private void settle(int count) {
    progress.lock();
    try {
      settled += count;
      written.signalAll();
    } finally {
      progress.unlock();
    }
  }

  /** Deletes entries older than the retention now; the scheduled clean-up's step. */
  int cleanUp() {
    Instant cutoff = time.instant().minus(settings.retention());
    try {
      int deleted = store.deleteBefore(cutoff);
      if (deleted > 0) {
        LOG.info("history: {} entries older than {} deleted", deleted, cutoff);
      }
      return deleted;
    } catch (SQLException | RuntimeException e) {
      LOG.warn("history clean-up in {} failed: {}", description, e.getMessage());
      return 0;
    }
  }

  @Override
  public void replay(Instant since, Consumer<HistoryEntry> sink) {
    try {
      store.replay(since, sink);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the history in " + description, e);
    }
  }

  @Override
  public double spent(String client, Instant from, Instant to) {
    try {
      return store.spent(client, from, to);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read spend from " + description, e);
    }
  }

  @Override
  public Map<String, Double> spentByClient(Instant from, Instant to) {
    try {
      return store.spentByClient(from, to);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read spend from " + description, e);
    }
  }

  @Override
  public Map<String, KeyUsage> usageByClient(Instant from, Instant to) {
    try {
      return store.usageByClient(from, to);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read usage from " + description, e);
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    progress.lock();
    try {
      closing = true;
    } finally {
      progress.unlock();
    }
    cleaner.shutdownNow();
    try {
      writer.join(CLOSE_WAIT);
      if (writer.isAlive()) {
        LOG.warn(
            "history writer did not finish within {}; {} entries left", CLOSE_WAIT, queue.size());
        writer.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      resources.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", description, e.getMessage());
    }
  }
}
