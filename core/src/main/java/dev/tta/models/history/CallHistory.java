package dev.tta.models.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every call's record and every reset, kept beyond the process: what a restarted gateway
 * warm-starts from ({@link WarmStart}) and what spend is summed from. Implementations (in the store
 * module) are thread-safe; {@link #append} never blocks the caller.
 */
public interface CallHistory extends SpendLedger, AutoCloseable {

  /** Queues an entry for writing; returns at once, whatever the store is doing. */
  void append(HistoryEntry entry);

  /**
   * Waits until every entry appended before this call is written (or given up on), at most {@code
   * max}.
   *
   * @return whether they were all written in time
   */
  boolean awaitWritten(Duration max) throws InterruptedException;

  /** Gives every entry at or after {@code since} to {@code sink}, oldest first. */
  void replay(Instant since, Consumer<HistoryEntry> sink);

  /**
   * Per key, what the requests made with it used among the calls kept that finished in {@code
   * [from, to)}; calls made without a key are left out. Unlike {@link #spentByClient}, it does not
   * reach past the retention.
   */
  Map<String, KeyUsage> usageByClient(Instant from, Instant to);

  /** Where the history is kept, for status and logs; never with a password. */
  String description();

  /** Writes what is queued (waiting a bounded time) and releases the store. */
  @Override
  void close();
}
