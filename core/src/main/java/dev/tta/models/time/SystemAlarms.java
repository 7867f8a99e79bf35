package dev.tta.models.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for every alarm of the process: an alarm's action only closes a stream or
 * re-arms itself, so one thread keeps up with thousands of streams. Cancelled alarms leave the
 * queue at once, so that a stream that ended leaves nothing behind.
 */
enum SystemAlarms implements Alarms {
  INSTANCE;

  private final ScheduledThreadPoolExecutor executor = executor();

  private static ScheduledThreadPoolExecutor executor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "mm-alarms");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public Alarm set(Duration after, Runnable action) {
    long nanos =
        after.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
            ? Long.MAX_VALUE
            : Math.max(0, after.toNanos());
    ScheduledFuture<?> scheduled = executor.schedule(action, nanos, TimeUnit.NANOSECONDS);
    return () -> scheduled.cancel(false);
  }
}
