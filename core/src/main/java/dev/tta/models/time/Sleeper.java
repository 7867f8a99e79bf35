package dev.tta.models.time;

import java.time.Duration;

/** Waits for a duration; injected so that backoff in tests advances a manual clock instead. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep(Duration)}. */
  static Sleeper system() {
    return Thread::sleep;
  }
}
