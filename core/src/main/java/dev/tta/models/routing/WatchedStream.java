package dev.tta.models.routing;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.Alarms;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * A provider's stream under a watchdog: the first chunk with output must come within the attempt's
 * first-token limit, each next one within its stall limit, and all of them before the request's
 * deadline. An alarm closes the upstream stream when a limit passes, which ends a read that blocks;
 * that read's cancellation then surfaces as a {@link ProviderException.Timeout} naming the limit.
 * The same limits are checked again whenever a read returns, so that a chunk that arrived after its
 * limit counts as late even if the alarm had not fired yet. Read from one thread; {@link #close()}
 * may come from any.
 */
final class WatchedStream implements ChatStream {

  private final ChatStream upstream;
  private final ModelInfo model;
  private final Duration firstToken;
  private final Duration stall;
  private final long deadlineNanos;
  private final Duration budget;
  private final TimeSource time;
  private final Alarms alarms;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long dueNanos;
  private volatile String dueWhy;
  private volatile String tripped;
  private volatile Alarms.Alarm alarm;

  /**
   * @param startNanos when the attempt started, on {@code time}'s ticker
   * @param budget the request's whole deadline, for the message when it is what ran out
   */
  WatchedStream(
      ChatStream upstream,
      ModelInfo model,
      AttemptTimeouts timeouts,
      long startNanos,
      long deadlineNanos,
      Duration budget,
      TimeSource time,
      Alarms alarms) {
    this.upstream = upstream;
    this.model = model;
    this.firstToken = AttemptTimeouts.limit(timeouts.firstToken());
    this.stall = AttemptTimeouts.limit(timeouts.stall());
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
    this.time = time;
    this.alarms = alarms;
    due(startNanos, firstToken, millis -> "no first token within " + millis + " ms");
    arm();
  }

  @Override
  public Optional<ChatChunk> next() {
    if (tripped != null) {
      throw timeout();
    }
    Optional<ChatChunk> chunk;
    try {
      chunk = upstream.next();
    } catch (ProviderException e) {
      if (tripped != null) {
        throw timeout();
      }
      throw e;
    }
    long now = time.nanoTime();
    if (now > dueNanos) {
      trip();
      throw timeout();
    }
    if (chunk.isEmpty()) {
      disarm();
    } else if (chunk.get().hasOutput()) {
      due(now, stall, millis -> "no output for " + millis + " ms (stall limit)");
    }
    return chunk;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      disarm();
      upstream.close();
    }
  }

  /**
   * @param why the message when the limit is what runs out, from its milliseconds: only a limit
   *     shorter than the budget has a number of them that fits a long
   */
  private void due(long fromNanos, Duration limit, LongFunction<String> why) {
    long limitNanos = limit.compareTo(budget) >= 0 ? Long.MAX_VALUE : limit.toNanos();
    long due = limitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : fromNanos + limitNanos;
    if (due >= deadlineNanos) {
      dueWhy = "the request deadline of " + budget.toMillis() + " ms passed";
      dueNanos = deadlineNanos;
    } else {
      dueWhy = why.apply(limit.toMillis());
      dueNanos = due;
    }
  }

  /** One alarm at a time: when it fires early (output moved the limit on), it sets itself again. */
  private void arm() {
    long wait = dueNanos - time.nanoTime();
    alarm = alarms.set(Duration.ofNanos(Math.max(0, wait)), this::check);
  }

  private void check() {
    if (closed.get()) {
      return;
    }
    if (time.nanoTime() >= dueNanos) {
      trip();
    } else {
      arm();
    }
  }

  private void trip() {
    if (tripped == null) {
      tripped = dueWhy;
    }
    close();
  }

  private void disarm() {
    Alarms.Alarm set = alarm;
    if (set != null) {
      set.cancel();
    }
  }

  private ProviderException.Timeout timeout() {
    return new ProviderException.Timeout(model.providerId(), model.id(), tripped, null);
  }
}
