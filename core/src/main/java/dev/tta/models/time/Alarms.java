package dev.tta.models.time;

import java.time.Duration;

/**
 * Runs an action once a duration has passed, on another thread than the one that set it: what a
 * watchdog needs to end a read that blocks. Injected beside {@link TimeSource}, so that a test's
 * {@link ManualTimeSource} fires alarms when it is advanced, with no thread of its own.
 */
public interface Alarms {

  /** A set alarm; cancelling one that has fired or was cancelled does nothing. */
  interface Alarm {
    void cancel();
  }

  /** Runs {@code action} once {@code after} has passed, unless cancelled first. */
  Alarm set(Duration after, Runnable action);

  /** Alarms on one shared daemon thread of this process. */
  static Alarms system() {
    return SystemAlarms.INSTANCE;
  }
}
